import { useEffect, useState } from 'react'
import { CheckIcon, CopyIcon } from './icons'
import { copyText } from '../clipboard'

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 1400)
    return () => clearTimeout(timer)
  }, [copied])
  return (
    <button type="button" className="icon-button" aria-label={label} title={copied ? 'Copied' : label} onClick={() => void copyText(text).then(() => setCopied(true))}>
      {copied ? <CheckIcon className="ok" /> : <CopyIcon />}
    </button>
  )
}
