/** Realistic lines for the programs the scenarios run. Pure: (task, file, time, n) -> lines. */
import type { Task } from '../model.js'

function log4j(t: number): string {
  const d = new Date(t * 1000)
  const iso = d.toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`
}

const TM_INFO = [
  'org.apache.flink.runtime.taskexecutor.TaskExecutor - Received task Source: Kafka -> Map (N/8)',
  'org.apache.flink.runtime.taskmanager.Task - Window(TumblingEventTimeWindows(60000)) (N/8) switched from DEPLOYING to RUNNING.',
  'org.apache.flink.runtime.state.heap.HeapKeyedStateBackend - Initializing heap keyed state backend.',
  'org.apache.flink.runtime.checkpoint.channel.ChannelStateWriteRequestExecutorImpl - Checkpoint N completed.',
  'org.apache.flink.runtime.taskexecutor.slot.TaskSlotTableImpl - Free slot TaskSlot(index:N).',
  'org.apache.flink.runtime.io.network.netty.NettyServer - Successful initialization (took N ms).',
]
const JM_INFO = [
  'org.apache.flink.runtime.checkpoint.CheckpointCoordinator - Triggering checkpoint N @ T for job 6f1c.',
  'org.apache.flink.runtime.checkpoint.CheckpointCoordinator - Completed checkpoint N for job 6f1c (N bytes in N ms).',
  'org.apache.flink.mesos.runtime.clusterframework.MesosResourceManager - Received offer(s) of N resources.',
  'org.apache.flink.runtime.resourcemanager.slotmanager.SlotManagerImpl - Received resource requirements.',
]

export function linesFor(task: Task, file: string, t: number, n: number): string[] {
  const k = (n * 7 + task.id.length) % 997
  const fill = (s: string) => s.replace(/\bN\b/g, String(k)).replace(/\bT\b/g, String(Math.floor(t * 1000)))
  switch (task.kind) {
    case 'taskmanager':
      if (file === 'flink-taskmanager.log')
        return [`${log4j(t)} INFO  ${fill(TM_INFO[n % TM_INFO.length] as string)}`]
      if (file === 'stderr')
        return n % 5 === 0
          ? [
              `${log4j(t)} WARN  org.apache.flink.runtime.taskmanager.Task - Backpressure on output channel ${k}`,
            ]
          : []
      return [`${log4j(t)} taskmanager ${task.id}: processed ${1000 + k * 13} records`]
    case 'jobmanager':
      if (file === 'stderr')
        return n % 7 === 0
          ? [
              `${log4j(t)} WARN  akka.remote.ReliableDeliverySupervisor - Association with remote system has failed.`,
            ]
          : []
      return [`${log4j(t)} INFO  ${fill(JM_INFO[n % JM_INFO.length] as string)}`]
    case 'batch':
      if (file === 'stderr') return []
      return [`${log4j(t)} batch ${task.id}: step ${n} of 20 done`]
    default:
      if (file === 'stderr')
        return n % 4 === 0 ? [`${new Date(t * 1000).toISOString()} ${task.id}: warning ${n}`] : []
      return [`${new Date(t * 1000).toISOString()} ${task.id}: hello ${n}`]
  }
}
