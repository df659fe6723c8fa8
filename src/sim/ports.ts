/**
 * bind() to port 0 gets slower with every port already bound (the kernel searches the ephemeral
 * range for a free one): 10,000 agents took 6 s of system time that way, 0.2 s on ports in a row.
 * So many agents take consecutive ports below the ephemeral range (32768 up), from a random start,
 * skipping the ones in use; when the run is used up they fall back to port 0.
 */
export const MANY_AGENTS = 500
const RUN_FIRST = 10_000
const RUN_END = 32_768

export class PortRun {
  constructor(private next = RUN_FIRST + Math.floor(Math.random() * 8_000)) {}

  async listen(start: (port: number) => Promise<number>): Promise<number> {
    for (;;) {
      const port = this.next < RUN_END ? this.next++ : 0
      try {
        return await start(port)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (port === 0 || (code !== 'EADDRINUSE' && code !== 'EACCES')) throw e
      }
    }
  }
}
