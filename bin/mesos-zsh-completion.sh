# zsh completion for mesos, for users of the original mesos-cli: add to ~/.zshrc
#   source mesos-zsh-completion.sh
# (zsh finds it on PATH, where npm installed it). It loads compinit if needed, then the script of
# `mesos completion zsh`, which completes commands, flags, tasks, agents and sandbox paths.
if (( ! $+functions[compdef] )); then
  autoload -Uz compinit && compinit
fi
if (( $+commands[mesos] )); then
  source <(mesos completion zsh)
fi
