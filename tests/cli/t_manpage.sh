#!/usr/bin/env bash
# The man page and --help say the same: every option a command's --help
# defines is in that command's section of docs/strider.1 (or under COMMON
# OPTIONS), and every option the page lists for a command is in its --help;
# every command `strider --help` lists has a section. The version in the
# page is `strider --version`'s. Then `make install DESTDIR=...` puts the
# binary, the page and the completion where `man -M` and bash find them,
# and the completion offers every command and a command's options.
set -u
. "$(dirname "$0")/../lib.sh"
MAN=$REPO/docs/strider.1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# options defined by --help: lines that begin with one ("  -x, --long",
# "      --long"), not the prose that mentions one
help_opts() {
    "$STRIDER" "$1" --help | grep -oE '^(  -[A-Za-z], --[a-z0-9-]+|      --[a-z0-9-]+)' |
        grep -oE -- '--[a-z0-9-]+' | sort -u
}
# options a man section lists: the line after each .TP
man_opts() { # section title (.SS NAME or .SH NAME)
    awk -v sec="$1" '
        /^\.S[SH] / { on = ($0 == sec); next }
        on && /^\.TP/ { tp = 1; next }
        on && tp { print; tp = 0 }' "$MAN" | sed 's/\\-/-/g' | grep -oE -- '--[a-z0-9-]+' | sort -u
}

commands=$("$STRIDER" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || die "no command in strider --help"
man_opts ".SH COMMON OPTIONS" > "$out/common"
[ -s "$out/common" ] || bad "no COMMON OPTIONS in the man page"
for c in $commands; do
    grep -q "^\.SS $c\$" "$MAN" || { bad "man page: no section for $c"; continue; }
    help_opts "$c" > "$out/help"
    man_opts ".SS $c" | sort -u - "$out/common" > "$out/man"
    missing=$(comm -23 "$out/help" "$out/man" | tr '\n' ' ')
    [ -z "$missing" ] || bad "$c: in --help, not in the man page: $missing"
    man_opts ".SS $c" > "$out/own"
    extra=$(comm -23 "$out/own" "$out/help" | tr '\n' ' ')
    [ -z "$extra" ] || bad "$c: in the man page, not in --help: $extra"
    echo "$c: $(wc -l < "$out/help") options, all in the man page"
done
extra=$(for c in $commands; do help_opts "$c"; done | sort -u | comm -13 - "$out/common" | tr '\n' ' ')
[ -z "$extra" ] || bad "COMMON OPTIONS not in every --help: $extra"

ver=$("$STRIDER" --version | awk '{ print $2 }')
grep -q "^\.TH STRIDER 1 .*\"strider $ver\"" "$MAN" || bad "man page version is not $ver"

# install into a staging root (-o: never rebuild the binary under test)
command -v make > /dev/null || { [ $fail = 0 ] && exit 0; exit 1; }
bin=$(dirname "$STRIDER")
make -s -C "$REPO" -o "${bin#"$REPO"/}/strider" install BUILD="${bin#"$REPO"/}" DESTDIR="$out/root" PREFIX=/usr/local > "$out/make.log" 2>&1 ||
    { cat "$out/make.log"; die "make install failed"; }
for f in bin/strider share/man/man1/strider.1 share/bash-completion/completions/strider; do
    [ -s "$out/root/usr/local/$f" ] || bad "make install: no $f"
done
"$out/root/usr/local/bin/strider" --version | grep -qx "strider $ver" || bad "installed strider --version"
if command -v man > /dev/null; then
    MANWIDTH=80 man -M "$out/root/usr/local/share/man" strider 2> "$out/man.err" | grep -q 'COMMON OPTIONS' ||
        bad "man -M ... strider: $(head -n 2 "$out/man.err")"
fi
# the installed completion: every command, then a command's options
comp() { # words...
    PATH="$out/root/usr/local/bin:$PATH" bash -c '
        . "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _strider; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$out/root/usr/local/share/bash-completion/completions/strider" "$@"
}
[ "$(comp strider "" | grep -c -xF -f <(echo "$commands"))" = "$(echo "$commands" | wc -l)" ] ||
    bad "completion: not every command"
comp strider conns --wh | grep -qx -- --where || bad "completion: conns --wh"
comp strider ssh --where- | grep -qx -- --where-events || bad "completion: ssh --where-"
comp strider follow --overlap l | grep -qx linux || bad "completion: --overlap values"

[ $fail = 0 ] && echo "man page, --help, install and completion agree"
exit $fail
