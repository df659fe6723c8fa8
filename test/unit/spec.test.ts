import { describe, expect, it } from 'vitest'
import { MesosError } from '../../src/core/errors.js'
import { addressFromPid, parseMasterSpec } from '../../src/core/master/spec.js'

describe('parseMasterSpec', () => {
  it.each([
    ['10.0.0.5:5050', { kind: 'direct', host: '10.0.0.5', port: 5050, prefix: '' }],
    ['10.0.0.5', { kind: 'direct', host: '10.0.0.5', port: 5050, prefix: '' }],
    ['master.example.com:6060', { kind: 'direct', host: 'master.example.com', port: 6060, prefix: '' }],
    ['master@10.0.0.1:5050', { kind: 'direct', host: '10.0.0.1', port: 5050, prefix: '' }],
    ['  localhost:5050 \n', { kind: 'direct', host: 'localhost', port: 5050, prefix: '' }],
    ['[::1]:5051', { kind: 'direct', host: '::1', port: 5051, prefix: '' }],
    ['http://m1:5050', { kind: 'direct', host: 'm1', port: 5050, scheme: 'http', prefix: '' }],
    ['https://m1:5443/', { kind: 'direct', host: 'm1', port: 5443, scheme: 'https', prefix: '' }],
    [
      'https://dcos.example.com/mesos',
      { kind: 'direct', host: 'dcos.example.com', port: 443, scheme: 'https', prefix: '/mesos' },
    ],
    ['zk://zk1:2181/mesos', { kind: 'zk', servers: ['zk1:2181'], path: '/mesos' }],
    [
      'zk://zk1,zk2:2182,zk3:2183/mesos/',
      { kind: 'zk', servers: ['zk1:2181', 'zk2:2182', 'zk3:2183'], path: '/mesos' },
    ],
    [
      'zk://alice:s3cret@zk1:2181/mesos',
      { kind: 'zk', servers: ['zk1:2181'], path: '/mesos', auth: { user: 'alice', password: 's3cret' } },
    ],
    // credentials end at the last '@', so a password may contain '@' and ':'
    [
      'zk://bob:p@ss:w@zk1:2181/a/b',
      { kind: 'zk', servers: ['zk1:2181'], path: '/a/b', auth: { user: 'bob', password: 'p@ss:w' } },
    ],
    ['file:///etc/mesos/zk', { kind: 'file', path: '/etc/mesos/zk' }],
  ])('%s', (input, expected) => {
    expect(parseMasterSpec(input)).toEqual(expected)
  })

  it.each([
    ['', /empty/],
    ['zk://zk1:2181', /missing the ZooKeeper path/],
    ['zk://zk1:2181/', /chroot/],
    ['zk://zk1:99999/mesos', /out of range/],
    ['zk://:pw@zk1/mesos', /user:password/],
    ['host:abc', /bad port/],
    ['host:0', /out of range/],
    ['ftp://host', /unsupported scheme/],
    ['file://relative/path', /absolute path/],
    ['http://user:pw@host:5050', /credentials/],
    ['host:5050/path', /URL/],
  ])('rejects %j as a usage error', (input, message) => {
    let caught: unknown
    try {
      parseMasterSpec(input)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(MesosError)
    expect((caught as MesosError).kind).toBe('usage')
    expect((caught as MesosError).message).toMatch(message)
  })
})

describe('addressFromPid', () => {
  it('takes the part after @', () => {
    expect(addressFromPid('slave(1)@10.0.0.2:5051')).toEqual({ host: '10.0.0.2', port: 5051 })
    expect(addressFromPid('master@127.0.0.1:5050')).toEqual({ host: '127.0.0.1', port: 5050 })
  })
  it('refuses what is not a PID', () => {
    expect(addressFromPid('10.0.0.2:5051')).toBeUndefined()
    expect(addressFromPid('slave(1)@host')).toBeUndefined()
  })
})
