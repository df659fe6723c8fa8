# fish completion for mesos.
# Install: mkdir -p ~/.config/fish/completions && mesos completion fish > ~/.config/fish/completions/mesos.fish
#
# Candidates come from `mesos __complete WORDS...`: one per line (VALUE or VALUE<TAB>DESCRIPTION,
# which is fish's own format), then a line `:N` (N: 1 no space, 2 complete local files,
# 4 candidates contain the word).

function __mesos_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out (command $tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null)
    or return
    set -q out[1]; or return
    string match -q -r '^:[0-9]+$' -- $out[-1]; or return
    set -l directive (string sub -s 2 -- $out[-1])
    set -e out[-1]
    if test (math "bitand($directive, 2)") -ne 0
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end

complete -c mesos -f -a '(__mesos_complete)'
