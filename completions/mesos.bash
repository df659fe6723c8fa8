# bash completion for mesos                                  -*- shell-script -*-
#
# Install: source <(mesos completion bash)   (e.g. in ~/.bashrc)
#      or: mesos completion bash > ~/.local/share/bash-completion/completions/mesos
#
# Candidates come from `mesos __complete WORDS...`: one per line (VALUE or VALUE<TAB>DESCRIPTION),
# then a line `:N` (N: 1 no space, 2 complete local files, 4 candidates contain the word).

_mesos() {
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    # Our own word splitting, so that `--flag=value` and `task:file` stay one word whatever
    # COMP_WORDBREAKS says.
    read -r -a words <<< "$line"
    [[ $line == *[[:space:]] || ${#words[@]} -eq 0 ]] && words+=("")
    (( ${#words[@]} < 2 )) && return 0
    local cur=${words[${#words[@]}-1]}

    local out
    out=$("${words[0]}" __complete "${words[@]:1}" 2>/dev/null) || return 0
    local -a lines
    mapfile -t lines <<< "$out"
    local last=${lines[${#lines[@]}-1]}
    [[ $last == :* ]] || return 0
    local directive=${last#:}
    unset 'lines[${#lines[@]}-1]'

    if (( directive & 2 )); then
        compopt -o default 2>/dev/null
        COMPREPLY=()
        return 0
    fi

    # readline replaces only the text after the last COMP_WORDBREAKS character of the word (the =
    # of --flag=value, the : of a:b): drop what comes before it from every candidate.
    local strip="" i
    for (( i = ${#cur} - 1; i >= 0; i-- )); do
        if [[ ${cur:i:1} == [=:] && $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
            strip=${cur:0:i+1}
            break
        fi
    done

    COMPREPLY=()
    local c value
    for c in "${lines[@]}"; do
        [[ -z $c ]] && continue
        value=${c%%$'\t'*}
        if [[ -n $strip ]]; then
            [[ $value == "$strip"* ]] || continue
            value=${value#"$strip"}
        fi
        COMPREPLY+=("$value")
    done

    if (( directive & 1 )) || { (( ${#COMPREPLY[@]} == 1 )) && [[ ${COMPREPLY[0]} == */ || ${COMPREPLY[0]} == *= ]]; }; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}

complete -F _mesos mesos
