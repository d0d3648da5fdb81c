#!/bin/sh
# sameout.sh BASE_BIN NEW_BIN [CAPTURE...]: runs every command and output
# format of both binaries over the same captures and compares stdout, stderr,
# the exit status and every file written (ssh -o DIR -p, extract -o DIR,
# packets --plot) byte for byte. A refactoring that must not change output
# passes when this prints "0 differ". Without captures: every fixture under
# tests/ and every capture under ../shared/captures.
# Prints "N outputs over M captures: K differ" and lists the differing ones.
# SAMEOUT_DM_MARKS=1: a report.html that differs only in the data-movement
# plot's exfil/infil marks and their legend counts is counted apart (the
# marks became the inference's data_window events in the arch branch).
# SAMEOUT_ONLY=REGEX: only the runs whose name matches (an awk ERE), e.g.
# SAMEOUT_ONLY='^ssh' for every ssh command and format.
set -u
BASE=$(realpath "$1") NEW=$(realpath "$2")
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ $# -eq 0 ]; then
    find "$HERE/tests" "$HERE/samples" "$SHARED/captures" -type f \
        \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) 2>/dev/null | sort >"$WORK/list"
else
    for f in "$@"; do echo "$f"; done >"$WORK/list"
fi

# One line per run: a name and the arguments (@F = the capture, @D = an
# output directory, @P = a file name prefix inside it).
cat >"$WORK/cmds" <<'EOF'
conns conns @F
conns_json conns --json @F
conns_csv conns --csv @F
conns_R conns -R --json @F
conns_Rtext conns -R @F
conns_sort conns --sort duration:desc --limit 5 @F
conns_where conns --proto tcp --where duration>0.5 --fields stream,duration,service,history @F
packets packets --stream 0 @F
packets_json packets --stream 0 --json @F
packets_csv packets --stream 0 --csv @F
packets_svg packets --stream 0 --plot @P.svg @F
packets_html packets --stream 1 --plot @P.html @F
follow follow --stream 0 @F
follow_hex follow --stream 0 -x @F
follow_json follow --stream 0 --json @F
summary summary @F
summary_json summary --json @F
ssh ssh @F
ssh_json ssh --json @F
ssh_csv ssh --csv @F
ssh_meta ssh -m @F
ssh_meta_json ssh -m --json @F
ssh_meta_csv ssh -m --csv @F
ssh_records ssh --records @F
ssh_report ssh -o @D -p @F
ssh_report_w ssh -w 2 -s 1 -o @D -p @F
ssh_zoom ssh -z 1-400 -d forward @F
ssh_report_zoom ssh -z 20-300 -o @D -p @F
extract extract -o @D @F
EOF
if [ -n "${SAMEOUT_ONLY:-}" ]; then
    awk -v re="$SAMEOUT_ONLY" '$1 ~ re' "$WORK/cmds" >"$WORK/cmds.only"
    mv "$WORK/cmds.only" "$WORK/cmds"
fi

run() { # BIN OUTDIR NAME ARGS... (with the placeholders replaced)
    bin=$1 out=$2 name=$3
    shift 3
    rm -rf "$out.d"
    mkdir -p "$(dirname "$out")"
    args=""
    for a in "$@"; do
        case $a in
        @F) a=$cap ;;
        @D) a=$out.d ;;
        @P*) mkdir -p "$out.d" && a=$out.d/plot${a#@P} ;;
        esac
        args="$args '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
    done
    eval "\"$bin\" $args" >"$out.out" 2>"$out.err" </dev/null
    echo $? >"$out.rc"
    # the binary's own path and the output dir differ between the two runs
    sed -i "s#$out.d#OUT#g" "$out.out" "$out.err"
}

ncap=0
while read -r cap; do
    ncap=$((ncap + 1))
    while read -r name rest; do
        # shellcheck disable=SC2086
        set -- $rest
        for side in base new; do
            bin=$BASE
            [ $side = new ] && bin=$NEW
            run "$bin" "$WORK/$side/$ncap/$name" "$name" "$@"
        done
    done <"$WORK/cmds"
    printf '%s\n' "$cap" >"$WORK/cap.$ncap"
done <"$WORK/list"

# 0 when two report.html files are the same but for the data-movement marks
dm_only() {
    [ "${SAMEOUT_DM_MARKS:-0}" = 1 ] && case $1 in *report.html) true ;; *) false ;; esac || return 1
    python3 - "$1" "$2" <<'PY'
import re, sys
def norm(s):
    s = re.sub(r'<span class=sw style=background:#d00></span>\w+ prediction \(\d+\)'
               r'<span class=sw style=background:#70d></span>\w+ prediction \(\d+\)', 'LEGEND', s)
    return re.sub(r'<path class="mk (ex|in)"[^>]*><title>.*?</title></path>', '', s, flags=re.S)
a, b = (norm(open(f, errors='replace').read()) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
}

nout=0 ndiff=0 ndm=0
for d in "$WORK"/base/*/; do
    i=$(basename "$d")
    for f in $(cd "$d" && find . -type f | sort); do
        nout=$((nout + 1))
        if cmp -s "$d/$f" "$WORK/new/$i/$f"; then
            :
        elif dm_only "$d/$f" "$WORK/new/$i/$f"; then
            ndm=$((ndm + 1))
        else
            ndiff=$((ndiff + 1))
            echo "DIFFERS: $(cat "$WORK/cap.$i") $f"
        fi
    done
    [ "$(cd "$d" && find . -type f | wc -l)" = "$(cd "$WORK/new/$i" && find . -type f | wc -l)" ] ||
        { ndiff=$((ndiff + 1)); echo "DIFFERS: $(cat "$WORK/cap.$i"): not the same files"; }
done
[ "${SAMEOUT_DM_MARKS:-0}" = 1 ] && echo "$ndm report.html differ only in the data-movement marks"
echo "$nout outputs over $ncap captures: $ndiff differ"
[ "$ndiff" -eq 0 ]
