/** Spec 1.1 usage errors, in-process through the runner: one line naming what is wrong, a hint, exit 2. */
import { describe, expect, it } from 'vitest'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanTestEnv, runCommand } from '../helpers/run-command.js'

describe('usage errors', () => {
  it.each([
    [['frameworks', 'Flink'], 'mesos: unexpected argument "Flink" (mesos frameworks takes no arguments)', 'mesos frameworks --help'],
    [['events', 'foo'], 'mesos: unexpected argument "foo" (mesos events takes no arguments)', 'mesos events --help'],
    [['sim', 'up', 'extra'], 'mesos: unexpected argument "extra" (mesos sim up takes no arguments)', 'mesos sim up --help'],
    [['tail'], 'mesos: missing argument TASK', 'mesos tail --help'],
    [['head', '-n', 'abc', 'x'], 'mesos: --lines: expected a whole number, got "abc"', 'mesos head --help'],
    [['head', '-n', '-3', 'x'], 'mesos: --lines: expected a whole number at least 0, got "-3"', 'mesos head --help'],
    [['tail', '-s', '0', 'x'], 'mesos: --sleep-interval: expected a number of seconds greater than 0 and at most 86400, got "0"', 'mesos tail --help'],
    [['ps', '--timeout', 'abc'], 'mesos: --timeout: expected a number of seconds, got "abc"', 'mesos ps --help'],
    [['ps', '--timeout', '1e9'], 'mesos: --timeout: expected a number of seconds greater than 0 and at most 86400, got "1e9"', 'mesos ps --help'],
    [['--timeout', '1e9', 'agents'], 'mesos: --timeout: expected a number of seconds greater than 0 and at most 86400, got "1e9"', 'mesos agents --help'],
    [['ls', '--bogus', 'x'], 'mesos: unknown flag --bogus', 'mesos ls --help'],
    [['ls', '-z', 'x'], 'mesos: unknown flag -z', 'mesos ls --help'],
    [['tail', 'x', '--lines'], 'mesos: --lines needs a value', 'mesos tail --help'],
    [['ps', '--json=yes'], 'mesos: --json takes no value', 'mesos ps --help'],
    [['completion', 'tcsh'], 'mesos: SHELL: expected one of bash, zsh, fish, got "tcsh"', 'mesos completion --help'],
    [['sim', 'up', '--masters', '9'], 'mesos: --masters: expected a whole number at least 1 and at most 5, got "9"', 'mesos sim up --help'],
    [['sim', 'up', '--mesos-version', '2.0'], 'mesos: --mesos-version: expected one of 1.11.0, 1.7.0, 0.28.0, got "2.0"', 'mesos sim up --help'],
    [['completion', '--master', 'x', 'bash'], 'mesos: unknown flag --master', 'mesos completion --help'],
    [['grep', '-e', 'foo'], 'mesos: missing argument TASK', 'mesos grep --help'],
    [['grep', 'foo'], 'mesos: missing argument TASK', 'mesos grep --help'],
    [['grep', '-E', '-F', 'foo', 'x'], 'mesos: -E and -F conflict (an extended regular expression or a fixed string?)', 'mesos grep --help'],
    [['download', '-o', '', 'x'], 'mesos: --output: expected a value, got ""', 'mesos download --help'],
    [['ls', '--master=', 'x'], 'mesos: --master: expected a value, got ""', 'mesos ls --help'],
  ])('%j', async (argv, message, hint) => {
    const run = await runCommand(argv)
    expect(await run.done).toBe(2)
    expect(run.stderr()).toBe(`${message}\nhint: ${hint}\n`)
    expect(run.stdout()).toBe('')
  })

  it('an exit-2 error about a file around the run (not the command line) does not point at the command help', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mesos-home-'))
    writeFileSync(join(home, '.mesos.json'), '{"master": ', { mode: 0o600 })
    const broken = await runCommand(['agents'], { home })
    expect(await broken.done).toBe(2)
    expect(broken.stderr()).toMatch(/^mesos: malformed config file \S+\.mesos\.json:1:\d+: /)
    expect(broken.stderr()).not.toContain('--help')
    writeFileSync(join(home, '.mesos.json'), '{"default": {"master": "http://127.0.0.1:1", "response_timeout": "soon"}}', { mode: 0o600 })
    const bad = await runCommand(['agents'], { home })
    expect(await bad.done).toBe(2)
    expect(bad.stderr()).toMatch(/^mesos: invalid response_timeout "soon" in profile "default" of .*\nhint: fix it with: mesos config response_timeout <value>\n$/)
    // the same value on the command line is a usage error of the command, with its help
    const flag = await runCommand(['agents', '--timeout', 'soon'], { home })
    expect(await flag.done).toBe(2)
    expect(flag.stderr()).toMatch(/\nhint: mesos agents --help\n$/)
  })

  it('an unknown command suggests the nearest one', async () => {
    const run = await runCommand(['frameworkz'])
    expect(await run.done).toBe(2)
    expect(run.stderr()).toBe('mesos: unknown command "frameworkz"\nhint: did you mean "frameworks"?\nhint: run "mesos help" for the list of commands\n')
  })

  it('an unknown subcommand of a topic names both words', async () => {
    const run = await runCommand(['sim', 'upp'])
    expect(await run.done).toBe(2)
    expect(run.stderr()).toMatch(/^mesos: unknown command "sim upp"\nhint: did you mean "sim up"\?/)
  })

  it('an installed plugin is among the suggestions: a tie names every nearest command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesos-plugin-'))
    writeFileSync(join(dir, 'mesos-hello'), '#!/bin/sh\necho hi\n')
    chmodSync(join(dir, 'mesos-hello'), 0o755)
    const home = mkdtempSync(join(tmpdir(), 'mesos-home-'))
    const run = await runCommand(['helo'], { home, env: cleanTestEnv(home, { PATH: `${dir}:${process.env.PATH}` }) })
    expect(await run.done).toBe(2)
    expect(run.stderr()).toBe('mesos: unknown command "helo"\nhint: did you mean "hello" or "help"?\nhint: run "mesos help" for the list of commands\n')
  })
})
