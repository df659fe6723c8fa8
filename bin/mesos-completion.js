#!/usr/bin/env node
// Two uses. For bash, as the book prints it: `complete -C mesos-completion mesos` (bash sets
// COMP_LINE and COMP_POINT and reads the candidates from stdout). By hand, it is `mesos completion`:
// `mesos-completion bash` prints the completion script.
import { runAs } from './program.js'
await runAs(process.env.COMP_LINE !== undefined ? ['__complete-command'] : ['completion'])
