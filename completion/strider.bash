# bash completion for strider. The commands and their options are read from
# strider itself (`strider --help`, `strider COMMAND --help`), so they are
# always those of the installed binary; values are completed where they are
# a fixed list (fields, overlap policies, legs, protocols) or a directory.
_strider_opts() { # COMMAND: every option its --help defines (lines that
    # begin with one: "  -x, --long" or "      --long")
    strider "$1" --help 2>/dev/null |
        grep -oE '^(  -[A-Za-z], --[a-z0-9-]+|      --[a-z0-9-]+|  -[A-Za-z] )' |
        grep -oE -- '-[A-Za-z]\b|--[a-z0-9-]+' | sort -u
}

_strider() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(strider --help 2>/dev/null | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}') --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        -o|--outdir|--output) COMPREPLY=($(compgen -d -- "$cur")); return;;
        --overlap) COMPREPLY=($(compgen -W "first last linux windows bsd" -- "$cur")); return;;
        --urgent) COMPREPLY=($(compgen -W "inline oob" -- "$cur")); return;;
        -d|--leg) COMPREPLY=($(compgen -W "forward reverse both" -- "$cur")); return;;
        --proto) COMPREPLY=($(compgen -W "tcp udp" -- "$cur")); return;;
        --dir) COMPREPLY=($(compgen -W "orig resp$([ "$cmd" = packets ] && echo ' both')" -- "$cur")); return;;
        -i|--interface) COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")); return;;
        -F|--fields|-S|--sort)
            local fields
            fields=$(strider "$cmd" --list-fields 2>/dev/null | awk '{print $1}')
            COMPREPLY=($(compgen -W "$fields" -- "${cur##*,}"))
            [ "$prev" = -F ] || [ "$prev" = --fields ] &&
                [[ "$cur" == *,* ]] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
            return;;
        -n|--stream|-Y|--where|--where-events|-l|--limit|-z|--zoom|-w|--window|-s|--stride|\
        --kinds|--host|--port|--idle-timeout|-f|--bpf|--filter|--max-flows|--stats-interval|--threads|\
        --max-hosts|--stream-cap|--memcap|--overlap-memcap|--max-open|--buffer|--json-inline|--json-payload-max|\
        --max-hole|--local-nets|--plot|--width)
            return;; # a value to type
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(_strider_opts "$cmd")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _strider strider
