// The dashboard's toasts: the same grouped notices as the desktop's notifications, kept while
// they are shown. A notice that replaces an earlier one (same id) takes its place.
import { create } from 'zustand'
import { NoticeGrouper, type Notice } from '../../src-shared/notices'

/** how long a toast stays up by itself */
export const TOAST_MS = 8000
const MAX_TOASTS = 4

export interface NoticesState {
  toasts: (Notice & { shownAt: number })[]
  show(notice: Notice): void
  dismiss(id: string): void
}

export const useNotices = create<NoticesState>()((set) => ({
  toasts: [],
  show: (notice) =>
    set((state) => {
      const rest = state.toasts.filter((t) => t.id !== notice.id)
      return { toasts: [...rest, { ...notice, shownAt: Date.now() }].slice(-MAX_TOASTS) }
    }),
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}))

/** one grouper for the page: connect.ts feeds it every status event */
export const noticeGrouper = new NoticeGrouper({ emit: (notice) => useNotices.getState().show(notice) })
