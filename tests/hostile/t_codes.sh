#!/usr/bin/env bash
# Every SSH anomaly code the source can emit is documented, and every
# documented code is one the source emits: the names of sd_ssh_anom_name
# (src/ssh/sd_ssh.c), the codes of the enum (each raised somewhere by
# sdp_anomaly or passed on), the table in docs/events.md ("Anomaly codes")
# and the list in docs/strider.1 must hold the same set.
set -u
. "$(dirname "$0")/../lib.sh"
bad=0
fail() { echo "FAIL $*"; bad=$((bad + 1)); }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

# the enum's constants and the names they map to
sed -n '/^typedef enum sd_ssh_anom_code/,/} sd_ssh_anom_code;/p' "$REPO/src/ssh/sd_ssh.h" |
    grep -oE 'SD_SSH_AN_[A-Z0-9_]+' | sort -u > "$w/enum"
grep -oE 'case SD_SSH_AN_[A-Z0-9_]+: return "[a-z0-9_]+"' "$REPO/src/ssh/sd_ssh.c" > "$w/cases"
sed -E 's/case (SD_SSH_AN_[A-Z0-9_]+):.*/\1/' "$w/cases" | sort -u > "$w/named"
sed -E 's/.*return "([a-z0-9_]+)"/\1/' "$w/cases" | sort > "$w/src"
[ -s "$w/enum" ] && [ -s "$w/src" ] || die "no anomaly codes found in src/ssh (moved?)"
diff "$w/enum" "$w/named" > /dev/null || fail "enum constants without a name: $(comm -23 "$w/enum" "$w/named" | tr '\n' ' ')"
[ "$(uniq -d "$w/src")" = "" ] || fail "names used twice: $(uniq -d "$w/src" | tr '\n' ' ')"
# each constant is raised (or passed on) somewhere besides its name's case
while read -r k; do
    grep -rhE "\b$k\b" "$REPO/src" --include='*.c' | grep -vq "case $k:" || fail "$k is never emitted"
done < "$w/enum"

# docs/events.md: the rows of the table under "### Anomaly codes"
sed -n '/^### Anomaly codes/,/^#/p' "$REPO/docs/events.md" | grep -oE '^\| `[a-z0-9_]+` \|' |
    grep -oE '[a-z0-9_]+' | sort > "$w/md"
# docs/strider.1: the .B lines after "Anomaly codes:" up to the next section
sed -n '/^Anomaly codes:/,/^\.S[HS]/p' "$REPO/docs/strider.1" | grep -E '^\.B [a-z0-9_]+$' |
    sed 's/^\.B //' | sort > "$w/man"
for doc in md man; do
    [ -s "$w/$doc" ] || { fail "no anomaly codes in the $doc list"; continue; }
    comm -23 "$w/src" "$w/$doc" | sed "s/^/not documented in $doc: /" > "$w/miss"
    comm -13 "$w/src" "$w/$doc" | sed "s/^/documented in $doc, never emitted: /" >> "$w/miss"
    [ -s "$w/miss" ] && fail "$(cat "$w/miss")"
    [ "$(uniq -d "$w/$doc")" = "" ] || fail "listed twice in $doc: $(uniq -d "$w/$doc" | tr '\n' ' ')"
done
echo "$(wc -l < "$w/src") codes; $bad failures"
[ $bad -eq 0 ]
