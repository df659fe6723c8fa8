import { describe, expect, it } from 'vitest'
import { chooseLeader, membersByAge, parseMember } from '../../src/core/master/leader.js'

describe('leader choice among ZooKeeper children', () => {
  it('takes the lowest sequence whatever the label, ignoring non-members', () => {
    const children = ['log_replicas', 'json.info_0000000012', 'info_0000000010', 'json.info_0000000011']
    expect(chooseLeader(children)).toEqual({ name: 'info_0000000010', label: 'info', sequence: 10 })
  })

  it('compares sequences as numbers, not as strings', () => {
    expect(chooseLeader(['json.info_10', 'json.info_9'])?.name).toBe('json.info_9')
    expect(chooseLeader(['json.info_0000000100', 'json.info_0000000099'])?.sequence).toBe(99)
  })

  it('accepts the unlabeled pre-0.17 form', () => {
    expect(chooseLeader(['0000000003', 'json.info_0000000004'])).toEqual({
      name: '0000000003',
      label: '',
      sequence: 3,
    })
  })

  it('has no leader without members', () => {
    expect(chooseLeader([])).toBeUndefined()
    expect(chooseLeader(['log_replicas', 'something', 'info_'])).toBeUndefined()
  })

  it('orders all members oldest first', () => {
    expect(membersByAge(['json.info_3', 'x', 'json.info_1', 'info_2']).map((m) => m.sequence)).toEqual([
      1, 2, 3,
    ])
  })

  it('splits the label at the last underscore', () => {
    expect(parseMember('my_label_0000000001')).toEqual({
      name: 'my_label_0000000001',
      label: 'my_label',
      sequence: 1,
    })
  })
})
