// Native notifications of the desktop app: the grouped notices, shown only while the window is
// not focused (the dashboard's own toasts tell a person who is looking). A notice that replaces
// an earlier one closes it first; clicking one brings the window up on its service.
import type { DeliveredEvent } from '../../src-shared/contract'
import { NoticeGrouper, type Notice, type NoticeOptions } from '../../src-shared/notices'

/** the parts of Electron's Notification used here */
export interface NotificationLike {
  show(): void
  close(): void
  on(event: 'click', listener: () => void): unknown
}

export interface DesktopNotificationOptions {
  subscribe(listener: (event: DeliveredEvent) => void): () => void
  isSupported(): boolean
  create(options: { title: string; body: string }): NotificationLike
  isWindowFocused(): boolean
  /** bring the window up showing this service (or the whole application) */
  show(service: string | undefined): void
  timers?: Pick<NoticeOptions, 'setTimer' | 'clearTimer' | 'windowMs'>
}

export function startDesktopNotifications(options: DesktopNotificationOptions): () => void {
  const shown = new Map<string, NotificationLike>()
  const tell = (notice: Notice): void => {
    const earlier = shown.get(notice.id)
    if (earlier) {
      earlier.close()
      shown.delete(notice.id)
    }
    if (options.isWindowFocused() || !options.isSupported()) return
    const notification = options.create({ title: notice.title, body: notice.body })
    notification.on('click', () => options.show(notice.service))
    shown.set(notice.id, notification)
    // the system keeps a few; a long session must not keep every one it ever showed
    if (shown.size > 20) shown.delete(shown.keys().next().value as string)
    notification.show()
  }
  const grouper = new NoticeGrouper({ emit: tell, ...options.timers })
  const unsubscribe = options.subscribe((event) => {
    if (event.type !== 'session' && event.type !== 'show-service') grouper.take(event)
  })
  return () => {
    unsubscribe()
    grouper.dispose()
  }
}
