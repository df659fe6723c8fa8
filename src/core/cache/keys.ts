/**
 * Every key of the on-disk cache, in one place: what a cluster's cached answers are filed under.
 * (The cache directory itself is bound to the credentials and trust that produced them.)
 */

/** The task index of a cluster (commands read it; completion derives its entry from it). */
export const taskIndexKey = (master: string, scheme: string) => `tasks\0${master}\0${scheme}`

/** TAB completion's compact entry: task IDs and agent names. */
export const completionKey = (master: string, scheme: string) => `complete\0${master}\0${scheme}`

/** The leading master last resolved for a spec. */
export const leaderKey = (master: string, scheme: string) => `leader\0${master}\0${scheme}`
