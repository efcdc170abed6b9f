import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@xterm/xterm/css/xterm.css'
import './styles/theme.css'
import './styles/layout.css'
import './styles/services.css'
import './styles/logs.css'
import './styles/start-order.css'
import { App } from './components/App'
import { ClientContext } from './components/client-context'
import { connectDashboard } from './state/connect'
import { useDashboard } from './state/store'
import { pickClient } from './transport/pick-client'

const opened = { resync: (): void => {} }
const { client, transport } = pickClient((connected) => {
  useDashboard.getState().setConnected(connected)
  // first open, or back after a drop: the server may have moved on further than its replay
  // buffer reaches, so take a fresh picture
  if (connected) opened.resync()
})
opened.resync = connectDashboard(client, { resyncNow: transport === 'ipc' }).resync

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
)
