// xterm's DOM renderer styles itself by writing <style> elements and style attributes, both of
// which the dashboard's CSP (style-src 'self', no 'unsafe-inline') blocks, leaving rows without
// height or colours, 24-bit colours and search highlights unpainted.
// Constructed stylesheets are not inline styles, so when xterm asks for a <style> the bridge
// hands it an inert <template> whose text goes into an adopted CSSStyleSheet instead (even an
// empty <style> element would be reported as a violation). xterm only sets the element's
// text, appends it and removes it. Nothing else in the app creates <style> elements.
// A style attribute set from script is applied through the CSSOM (element.style), which the
// policy allows; style attributes in markup stay blocked, which is what the policy is for.
let installed = false

export function installCspStyleBridge(doc: Document = document): void {
  if (installed) return
  installed = true
  const setAttribute = Element.prototype.setAttribute
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) {
      this.style.cssText = value
      return
    }
    setAttribute.call(this, name, value)
  }
  const createElement = doc.createElement.bind(doc) as (tagName: string, options?: ElementCreationOptions) => HTMLElement
  doc.createElement = function (tagName: string, options?: ElementCreationOptions) {
    if (tagName.toLowerCase() !== 'style') return createElement(tagName, options)
    const element = createElement('template')
    bridge(doc, element)
    return element
  } as Document['createElement']
}

function bridge(doc: Document, element: HTMLElement): void {
  const sheet = new CSSStyleSheet()
  let text = ''
  const adopt = (on: boolean): void => {
    const others = doc.adoptedStyleSheets.filter((s) => s !== sheet)
    doc.adoptedStyleSheets = on ? [...others, sheet] : others
  }
  Object.defineProperty(element, 'textContent', {
    get: () => text,
    set: (value: string | null) => {
      text = value ?? ''
      sheet.replaceSync(text)
      adopt(true)
    },
  })
  const remove = element.remove.bind(element)
  element.remove = () => {
    adopt(false)
    remove()
  }
}
