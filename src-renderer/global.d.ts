import type { MicronetesClient } from '../src-shared/contract'

declare global {
  interface Window {
    /** set by the desktop app's preload; absent in a plain browser */
    micronetes?: MicronetesClient
  }
}
