/** `==> SOURCE <==` headers (blank line before all but the first), printed only when the source changes. */
export class HeaderPrinter {
  private last?: string
  private first = true

  constructor(readonly enabled: boolean) {}

  /** Output went out without a header (a lone source): a later header is set apart from it. */
  wrote(): void {
    this.first = false
  }

  /** The text to print before output from `source` (empty when no header is due). */
  before(source: string): string {
    if (!this.enabled || source === this.last) return ''
    this.last = source
    const sep = this.first ? '' : '\n'
    this.first = false
    return `${sep}==> ${source} <==\n`
  }
}
