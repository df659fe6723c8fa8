/** What the sandbox readers yield: bytes of one source (`TASK_ID:FILE`, or `TASK_ID` for listings). */
export interface SourceChunk {
  source: string
  /** Exactly as read; may be empty to announce a source (its header) before its bytes. */
  bytes: Buffer
  /** The only source so far (`tail -f` of one file): no header is needed for it. */
  alone?: boolean
}
