// Line icons drawn for the dashboard (16px grid, currentColor).
import type { ReactElement, SVGProps } from 'react'
import type { StatusKind } from '../../src-shared/status'

type IconProps = SVGProps<SVGSVGElement>

function icon(paths: ReactElement) {
  return function Icon(props: IconProps) {
    return (
      <svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...props}>
        {paths}
      </svg>
    )
  }
}

export const ProcessIcon = icon(<><rect x="1.75" y="2.75" width="12.5" height="10.5" rx="2" /><path d="M4.5 6.5 6.5 8l-2 1.5M8 10h3.5" /></>)
export const ProjectIcon = icon(<><path d="M1.75 4.25a1.5 1.5 0 0 1 1.5-1.5h3l1.5 1.5h5a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5h-9.5a1.5 1.5 0 0 1-1.5-1.5z" /><path d="m6.5 7.25-1.25 1.25 1.25 1.25M9.5 7.25l1.25 1.25-1.25 1.25" /></>)
export const ContainerIcon = icon(<><path d="M8 1.75 14 5v6L8 14.25 2 11V5z" /><path d="M2 5l6 3.25L14 5M8 8.25v6" /></>)
export const ExternalIcon = icon(<><circle cx="8" cy="8" r="6.25" /><path d="M1.75 8h12.5M8 1.75c1.75 1.9 2.5 3.9 2.5 6.25S9.75 12.35 8 14.25C6.25 12.35 5.5 10.35 5.5 8S6.25 3.65 8 1.75z" /></>)
export const IngressIcon = icon(<><path d="M1.75 8h6.5M5.75 5.5 8.25 8l-2.5 2.5" /><path d="M10.25 3.25h3v9.5h-3" /></>)
export const PlusIcon = icon(<path d="M8 3.5v9M3.5 8h9" />)
export const MinusIcon = icon(<path d="M3.5 8h9" />)
export const RestartIcon = icon(<><path d="M13 8a5 5 0 1 1-1.46-3.54" /><path d="M13 2.75v2.5h-2.5" /></>)
export const StopIcon = icon(<rect x="4" y="4" width="8" height="8" rx="1.25" />)
export const PlayIcon = icon(<path d="M5 3.5v9l7-4.5z" />)
export const CopyIcon = icon(<><rect x="5.25" y="5.25" width="8" height="8" rx="1.5" /><path d="M10.75 5.25V4.25a1.5 1.5 0 0 0-1.5-1.5h-4.5a1.5 1.5 0 0 0-1.5 1.5v4.5a1.5 1.5 0 0 0 1.5 1.5h.5" /></>)
export const CheckIcon = icon(<path d="m3.5 8.5 3 3 6-7" />)
export const DownloadIcon = icon(<><path d="M8 2.5v8M4.75 7.5 8 10.75l3.25-3.25" /><path d="M2.75 12.75h10.5" /></>)
export const ClearIcon = icon(<><circle cx="8" cy="8" r="5.75" /><path d="m4 12 8-8" /></>)
export const ChevronUpIcon = icon(<path d="m4 10 4-4 4 4" />)
export const ChevronDownIcon = icon(<path d="m4 6 4 4 4-4" />)
export const FollowIcon = icon(<><path d="M8 2.75v8.5M4.5 7.75 8 11.25l3.5-3.5" /><path d="M3.5 13.5h9" /></>)
export const PauseIcon = icon(<path d="M5.5 3.5v9M10.5 3.5v9" />)
export const SearchIcon = icon(<><circle cx="7" cy="7" r="4.25" /><path d="m10.25 10.25 3 3" /></>)
export const FileIcon = icon(<><path d="M4 1.75h5l3 3v9.5H4z" /><path d="M9 1.75v3h3" /></>)
export const CloseIcon = icon(<path d="m4.5 4.5 7 7M11.5 4.5l-7 7" />)
export const AlertIcon = icon(<><path d="M8 1.75 14.5 13.5h-13z" /><path d="M8 6v3.5M8 11.5v.01" /></>)
export const LinkIcon = icon(<><path d="M9.5 2.75h3.75V6.5M13.25 2.75 7.5 8.5" /><path d="M11.5 9v3a1.25 1.25 0 0 1-1.25 1.25H4A1.25 1.25 0 0 1 2.75 12V5.75A1.25 1.25 0 0 1 4 4.5h3" /></>)

export function KindIcon({ kind, ...props }: { kind: StatusKind } & IconProps) {
  switch (kind) {
    case 'ingress': return <IngressIcon {...props} />
    case 'container': return <ContainerIcon {...props} />
    case 'external': return <ExternalIcon {...props} />
    case 'project': return <ProjectIcon {...props} />
    default: return <ProcessIcon {...props} />
  }
}

export const kindLabel: Record<StatusKind, string> = {
  ingress: 'Ingress',
  project: 'Project',
  executable: 'Process',
  container: 'Container',
  external: 'External',
}
