#!/usr/bin/env bash
# pandoc_compare.sh: pamphleteer's cold batch build against the usual
# alternative, pandoc 3 + the stock typst CLI, doing the same work with every
# core (2 on the project's machines), on one corpus project.
#
# What it measures, each side RUNS times (interleaved), wall and CPU time
# (`/usr/bin/time -f '%e %U %S'`), with medians and the ratio:
#
#   pandoc + typst: for every statement `pandoc -f markdown -t typst` with
#     examples/pandoc_leaflet.typ (A4, two columns, the masthead from the
#     YAML front matter), then `typst compile` to the leaflet PDF; and
#     `pandoc -t epub3` to its e-book (front matter as metadata, plus the
#     project's publisher and rights). The anthology: one `pandoc` run over
#     the preface and all statements to one Typst book (examples/pandoc_book.typ:
#     A5, contents, statements by date under their years), `typst compile`;
#     and one `pandoc -t epub3` run over all of them to the book's EPUB.
#     "whole": all of that as one job queue run by `xargs -P JOBS` (the book
#     first, it is the longest job), as a user with a 2-core machine would;
#     "stages": each stage alone (leaflet PDFs and leaflet EPUBs with
#     `xargs -P JOBS`, the book PDF, the book EPUB), to see where time goes.
#   pamphleteer: `pamphleteer build --force` from an empty out/ on a copy of
#     the project with `fit = false` under [layout] (pandoc does not
#     copyfit: this is the like-for-like figure), and with fitting as the
#     project has it (default on), for the cost of copyfitting beside it.
#
# Both sides use the same statements, the same Typst version (check the
# versions printed), the faces in the repository's fonts/ (plus Typst's
# embedded DejaVu Sans Mono for code, as pamphleteer's layouts do) and no
# system fonts, and claim the same PDF standards (PDF/A-2b + PDF/UA-1, as
# pamphleteer's PDFs do; PDF_STANDARD= to drop them).
#
# Run (from anywhere; nothing is written outside a `mktemp -d` directory,
# which is removed at the end unless --keep):
#
#   examples/pandoc_compare.sh [--keep] [--runs N] [CORPUS_PROJECT_DIR]
#
# CORPUS_PROJECT_DIR defaults to /work/base/corpus/n100 (it is copied, never
# written to). Settings from the environment:
#   RUNS=3            runs of each side (median reported)
#   JOBS=$(nproc)     parallel jobs on the pandoc side (xargs -P)
#   STAGES=1          also time the pandoc side's stages one by one (0: skip)
#   PAMPHLETEER=...   the binary (default: target/release/pamphleteer of
#                     this repository; it is copied first, so that a rebuild
#                     during the measurement does not change it)
#   TYPST=...         the typst CLI (default: /opt/typst-cli/bin/typst, else
#                     `typst` on PATH; `cargo install --locked typst-cli
#                     --root /opt/typst-cli` installs it)
#   PANDOC=...        a pandoc 3 binary; otherwise `pandoc` on PATH if it is
#                     3.x, else the one in PyPI's pypandoc_binary wheel
#                     (PYPANDOC_BINARY_VERSION=1.17, pandoc 3.9), installed
#                     once into a venv in PANDOC_CACHE
#                     (default ~/.cache/pamphleteer-pandoc-compare)
#   PANDOC_FROM=markdown-citations-raw_tex   pandoc's reader (see below)
#   PDF_STANDARD=a-2b,ua-1                   typst compile --pdf-standard
#   FONTS=...         font folder (default: this repository's fonts/)
#
# Markdown that pandoc's `markdown` reads differently from pamphleteer
# (CommonMark + GitHub's extensions: "text is text"):
#   - `@council` is a citation in pandoc's markdown: the typst writer turns
#     it into `#cite(<council>)`, and typst fails ("label does not exist").
#     `-citations` switches that off.
#   - `C:\homes\272`: `\homes` is raw TeX in pandoc's markdown and is dropped
#     from the Typst output. `-raw_tex` switches that off.
#   - The statements' headings are `##`: pamphleteer renumbers them from
#     level 1 (PDF/UA-1 wants the first heading at level 1); the leaflets
#     get pandoc's --shift-heading-level-by=-1 for that (the corpus has no
#     `#` headings; a statement that had one would lose it to the title).
#   - pandoc's `smart` makes `...` an ellipsis and quotes curly, and bare
#     URLs stay text (pamphleteer links them). Left as they are.
#   PANDOC_FROM=gfm reads the corpus as pamphleteer does (pandoc 3's gfm
#   reader takes YAML front matter and footnotes), for a check.
# The script prints every statement that fails on either side.
#
# Where the work still differs (pamphleteer does more, except where said):
# its e-books carry a cover drawn by Typst as a PNG, a page list taken from
# the book PDF, accessibility metadata; its leaflets infer slogans and the
# signature and set them apart, and size the title to its lines; it writes
# out/.pamphleteer/ (the incremental build's manifest and a cached book
# part). The pandoc side's .typ files are its intermediates, pamphleteer's
# are an output ([outputs] typst = true): both write them.

set -euo pipefail

usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; }

KEEP=0
CORPUS=/work/base/corpus/n100
RUNS=${RUNS:-3}
while [ $# -gt 0 ]; do
  case $1 in
    --keep) KEEP=1 ;;
    --runs) RUNS=$2; shift ;;
    --runs=*) RUNS=${1#--runs=} ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) CORPUS=$1 ;;
  esac
  shift
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
JOBS=${JOBS:-$(nproc)}
STAGES=${STAGES:-1}
PAMPHLETEER=${PAMPHLETEER:-$REPO/target/release/pamphleteer}
FONTS=${FONTS:-$REPO/fonts}
PANDOC_FROM=${PANDOC_FROM:-markdown-citations-raw_tex}
PDF_STANDARD=${PDF_STANDARD-a-2b,ua-1}
PANDOC_CACHE=${PANDOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pamphleteer-pandoc-compare}
PYPANDOC_BINARY_VERSION=${PYPANDOC_BINARY_VERSION:-1.17}

die() { echo "pandoc_compare: $*" >&2; exit 1; }
[ -f "$CORPUS/pamphleteer.toml" ] && [ -d "$CORPUS/sources" ] || die "$CORPUS is not a project (pamphleteer.toml and sources/)"
[ -x "$PAMPHLETEER" ] || die "no pamphleteer binary at $PAMPHLETEER (set PAMPHLETEER=)"
[ -d "$FONTS" ] || die "no font folder $FONTS (set FONTS=)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
case $RUNS in ''|*[!0-9]*|0) die "RUNS must be a positive number" ;; esac

# ---------------------------------------------------------------- tools
pandoc_major() { "$1" --version 2>/dev/null | sed -n '1s/^pandoc \([0-9]*\).*/\1/p'; }
find_pandoc() {
  if [ -n "${PANDOC:-}" ]; then
    [ "$(pandoc_major "$PANDOC")" -ge 3 ] 2>/dev/null || die "PANDOC=$PANDOC is not pandoc 3 or later"
    return
  fi
  local p
  if p=$(command -v pandoc) && [ "$(pandoc_major "$p")" -ge 3 ] 2>/dev/null; then PANDOC=$p; return; fi
  p=$(find "$PANDOC_CACHE/venv" -path '*/pypandoc/files/pandoc' -type f 2>/dev/null | head -n 1 || true)
  if [ -z "$p" ]; then
    echo "installing pandoc 3: pypandoc_binary==$PYPANDOC_BINARY_VERSION into $PANDOC_CACHE/venv" >&2
    mkdir -p "$PANDOC_CACHE"
    python3 -m venv "$PANDOC_CACHE/venv" >&2
    "$PANDOC_CACHE/venv/bin/pip" install --quiet --disable-pip-version-check "pypandoc_binary==$PYPANDOC_BINARY_VERSION" >&2
    p=$(find "$PANDOC_CACHE/venv" -path '*/pypandoc/files/pandoc' -type f | head -n 1)
  fi
  [ -n "$p" ] && [ "$(pandoc_major "$p")" -ge 3 ] 2>/dev/null || die "could not install pandoc 3 (pypandoc_binary)"
  PANDOC=$p
}
find_typst() {
  if [ -z "${TYPST:-}" ]; then
    if [ -x /opt/typst-cli/bin/typst ]; then TYPST=/opt/typst-cli/bin/typst
    else TYPST=$(command -v typst) || die "no typst CLI: cargo install --locked typst-cli --root /opt/typst-cli"
    fi
  fi
  "$TYPST" --version >/dev/null || die "TYPST=$TYPST does not run"
}
find_pandoc
find_typst

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pandoc-compare.XXXXXX")
cleanup() {
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A copy of the binary: `cargo build` elsewhere must not swap it mid-run.
mkdir -p "$WORK/bin"
cp "$PAMPHLETEER" "$WORK/bin/pamphleteer"
PAM=$WORK/bin/pamphleteer

echo "corpus:      $CORPUS"
echo "pandoc:      $PANDOC"
echo "             $("$PANDOC" --version | head -n 1)"
echo "typst CLI:   $TYPST ($("$TYPST" --version))"
echo "pamphleteer: $PAMPHLETEER ($("$PAM" --version); built $(date -r "$PAMPHLETEER" '+%F %T'); typst $(sed -n '/^name = "typst"$/{n;s/version = "\(.*\)"/\1/p;q}' "$REPO/Cargo.lock" 2>/dev/null || echo '?'))"
echo "machine:     $(nproc) cores, JOBS=$JOBS, RUNS=$RUNS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work dir:    $WORK"

# ---------------------------------------------------------------- projects
# The project copy that pamphleteer builds, and the facts the pandoc side needs.
cp -r "$CORPUS" "$WORK/proj"
python3 - "$WORK/proj/pamphleteer.toml" "$WORK/book-meta.yaml" > "$WORK/facts.sh" <<'PY'
import json, shlex, sys, tomllib
t = tomllib.load(open(sys.argv[1], "rb"))
p, a, o = t.get("project", {}), t.get("anthology"), t.get("outputs", {})
def put(k, v): print(f"{k}={shlex.quote(str(v))}")
put("OUTDIR", o.get("dir", "out"))
put("PUBLISHER", p.get("publisher", ""))
put("RIGHTS", p.get("rights", ""))
put("LANGUAGE", p.get("language", "en"))
put("HAS_BOOK", 1 if a else 0)
if a:
    put("BOOK_PREFACE", a.get("preface", ""))
    for k in ("statements", "group", "order"):
        put("BOOK_" + k.upper(), a.get(k, ""))
    # The book's metadata for pandoc (--metadata-file; JSON is YAML).
    meta = {"title": a["title"], "lang": a.get("lang", p.get("language", "en")),
            "publisher": a.get("publisher", p.get("publisher", "")), "rights": p.get("rights", "")}
    if a.get("subtitle"): meta["subtitle"] = a["subtitle"]
    if a.get("editors"): meta["author"] = a["editors"]
    open(sys.argv[2], "w").write(json.dumps(meta, ensure_ascii=False) + "\n")
PY
# shellcheck disable=SC1091
. "$WORK/facts.sh"
rm -rf "$WORK/proj/$OUTDIR"
[ "$HAS_BOOK" = 1 ] || echo "note: the project has no [anthology]: no book on either side"
if [ "$HAS_BOOK" = 1 ]; then
  [ -z "$BOOK_STATEMENTS" ] || echo "note: [anthology] statements = $BOOK_STATEMENTS is not followed: the pandoc book has every statement"
  { [ "${BOOK_ORDER:-date}" = date ] && [ "${BOOK_GROUP:-year}" = year ]; } \
    || echo "note: the pandoc book is ordered by date and grouped by year; the project says order=$BOOK_ORDER group=$BOOK_GROUP"
fi

# Statements, as paths under sources/ without .md (subfolders kept).
(cd "$WORK/proj/sources" && find . -name '*.md' -type f | sed 's|^\./||; s|\.md$||' | LC_ALL=C sort) > "$WORK/statements"
N=$(wc -l < "$WORK/statements")
[ "$N" -gt 0 ] || die "no statements in $CORPUS/sources"
if grep -q '[[:space:]]' "$WORK/statements"; then die "statement paths with spaces are not supported"; fi
echo "statements:  $N"

# pamphleteer's two copies: fit = false under [layout] (added or replaced), and as given.
cp -r "$WORK/proj" "$WORK/pam-nofit"
awk '
  /^[[:space:]]*\[/ { inlayout = ($0 ~ /^[[:space:]]*\[layout\][[:space:]]*(#.*)?$/) ; print; if (inlayout) { print "fit = false"; done = 1 }; next }
  inlayout && /^[[:space:]]*fit[[:space:]]*=/ { next }
  { print }
  END { if (!done) { print ""; print "[layout]"; print "fit = false" } }
' "$WORK/proj/pamphleteer.toml" > "$WORK/pam-nofit/pamphleteer.toml"
mv "$WORK/proj" "$WORK/pam-fit"

# ---------------------------------------------------------------- the pandoc side
PD=$WORK/pandoc
mkdir -p "$PD"
cp "$HERE/pandoc_leaflet.typ" "$HERE/pandoc_book.typ" "$PD/"
SRC=$WORK/pam-fit/sources
BOOK_INPUTS=()
if [ "$HAS_BOOK" = 1 ]; then
  [ -z "$BOOK_PREFACE" ] || BOOK_INPUTS+=("$WORK/pam-fit/$BOOK_PREFACE")
  while read -r s; do BOOK_INPUTS+=("$SRC/$s.md"); done < "$WORK/statements"
  printf '%s\n' "${BOOK_INPUTS[@]}" > "$PD/book-inputs"
  mv "$WORK/book-meta.yaml" "$PD/book-meta.yaml"
fi

# The book reader: pandoc reads several files as one text, so each
# statement's front matter (its title above all) would be lost in a book
# and its `[^1]` would clash with the others'. This custom reader reads each
# file as its own document with the same Markdown reader and makes the
# headings pamphleteer's book has: the preface (first file, when the project
# has one), then the statements by date under a heading per year, each
# statement's title a heading with its subtitle and "organisation, place,
# date" under it, its own headings one level down, all in its own language.
cat > "$PD/book_reader.lua" <<LUA
local FROM = '$PANDOC_FROM'
local HAS_PREFACE = $([ "$HAS_BOOK" = 1 ] && [ -n "$BOOK_PREFACE" ] && echo true || echo false)
local function str(v) return v and pandoc.utils.stringify(v) or '' end
local function prefixed(blocks, prefix, shift)
  return pandoc.Blocks(blocks):walk({
    Header = function(h)
      h.level = h.level + shift
      if h.identifier ~= '' then h.identifier = prefix .. h.identifier end
      return h
    end,
  })
end
function Reader(input, opts)
  local blocks, statements = pandoc.Blocks({}), {}
  for i, source in ipairs(input) do
    local doc = pandoc.read(source.text, FROM, opts)
    if i == 1 and HAS_PREFACE then
      local title = doc.meta.title and pandoc.utils.stringify(doc.meta.title) or 'Preface'
      blocks:insert(pandoc.Header(2, title, pandoc.Attr('preface')))
      blocks:extend(prefixed(doc.blocks, 'preface-', 1))
    else
      statements[#statements + 1] = { doc = doc, date = str(doc.meta.date), n = i }
    end
  end
  table.sort(statements, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    return a.n < b.n
  end)
  local year
  for _, s in ipairs(statements) do
    local m, id = s.doc.meta, 's' .. s.n .. '-'
    local y = s.date:match('^(%d%d%d%d)') or 'Undated'
    if y ~= year then
      year = y
      blocks:insert(pandoc.Header(1, y, pandoc.Attr('year-' .. y)))
    end
    blocks:insert(pandoc.Header(2, m.title or 'Untitled', pandoc.Attr('s' .. s.n)))
    -- The statement in its own language (hyphenation; lang= in the e-book).
    local body = pandoc.Blocks({})
    if m.subtitle then body:insert(pandoc.Para(pandoc.Emph(m.subtitle))) end
    local line = {}
    for _, k in ipairs({ 'author', 'place', 'date' }) do
      local v = m[k]
      if v then
        local text
        if pandoc.utils.type(v) == 'List' then text = table.concat(v:map(str), ', ') else text = str(v) end
        if text ~= '' then line[#line + 1] = text end
      end
    end
    if #line > 0 then body:insert(pandoc.Para(pandoc.Str(table.concat(line, ', ')))) end
    body:extend(prefixed(s.doc.blocks, id, 1))
    local lang = str(m.lang)
    blocks:insert(pandoc.Div(body, pandoc.Attr('', {}, lang ~= '' and { lang = lang } or {})))
  end
  return pandoc.Pandoc(blocks)
end
LUA

# One unit of work of the pandoc side; POSIX sh, as xargs would start it.
cat > "$PD/task.sh" <<'SH'
# task.sh KIND NAME: leaf (Markdown -> .typ -> PDF), epub, bookpdf, bookepub
kind=$1 name=$2
std=${PDF_STANDARD:+--pdf-standard=$PDF_STANDARD}
case $kind in
  leaf)
    "$PANDOC" -f "$PANDOC_FROM" -t typst --template "$PD/pandoc_leaflet.typ" --shift-heading-level-by=-1 "$SRC/$name.md" -o "$OUT/$name.typ" &&
      "$TYPST" compile --font-path "$FONTS" --ignore-system-fonts $std "$OUT/$name.typ" "$OUT/$name.pdf" ;;
  epub)
    "$PANDOC" -f "$PANDOC_FROM" -t epub3 -M publisher="$PUBLISHER" -M rights="$RIGHTS" "$SRC/$name.md" -o "$OUT/$name.epub" ;;
  bookpdf)
    tr '\n' '\0' < "$PD/book-inputs" | xargs -0 "$PANDOC" -f "$PD/book_reader.lua" -t typst --template "$PD/pandoc_book.typ" \
        --metadata-file "$PD/book-meta.yaml" -o "$OUT/book.typ" &&
      "$TYPST" compile --font-path "$FONTS" --ignore-system-fonts $std "$OUT/book.typ" "$OUT/book.pdf" ;;
  bookepub)
    tr '\n' '\0' < "$PD/book-inputs" | xargs -0 "$PANDOC" -f "$PD/book_reader.lua" -t epub3 --split-level=2 --toc-depth=2 \
        --metadata-file "$PD/book-meta.yaml" -o "$OUT/book.epub" ;;
  *) echo "task.sh: unknown kind $kind" >&2; exit 2 ;;
esac
status=$?
[ $status -eq 0 ] || echo "FAILED: $kind $name (exit $status)" >&2
exit $status
SH

export PANDOC TYPST FONTS PDF_STANDARD PANDOC_FROM PD SRC PUBLISHER RIGHTS

# Mirror the sources' folders in an output folder.
mkout() {
  rm -rf "$1"; mkdir -p "$1"
  (cd "$SRC" && find . -mindepth 1 -type d) | while read -r d; do mkdir -p "$1/$d"; done
}
queue_leaf() { sed 's/^/leaf /' "$WORK/statements"; }
queue_epub() { sed 's/^/epub /' "$WORK/statements"; }
queue_whole() {
  if [ "$HAS_BOOK" = 1 ]; then echo "bookpdf -"; echo "bookepub -"; fi
  queue_leaf; queue_epub
}
# timed NAME CMD...: runs CMD under /usr/bin/time, appends "NAME wall user sys" to $WORK/times
# and prints it to the script's standard output (fd 3), whatever CMD's output is redirected to.
exec 3>&1
timed() {
  local name=$1; shift
  local status=0
  /usr/bin/time -f '%e %U %S' -o "$WORK/t" "$@" || status=$?
  echo "$name $(tail -n 1 "$WORK/t")" >> "$WORK/times"
  printf '  %-22s %s s wall, %s s user, %s s sys%s\n' "$name" $(tail -n 1 "$WORK/t") \
    "$([ $status -eq 0 ] || echo "  (exit $status)")" >&3
  return 0
}
# check_out DIR LABEL WANT_PDF WANT_EPUB LOG: counts the outputs, prints what is missing.
check_out() {
  local dir=$1 label=$2 want_pdf=$3 want_epub=$4 log=$5 pdfs epubs
  pdfs=$(find "$dir" -mindepth 1 -name '.*' -prune -o -name '*.pdf' -size +0 -print | wc -l)
  epubs=$(find "$dir" -mindepth 1 -name '.*' -prune -o -name '*.epub' -size +0 -print | wc -l)
  if [ "$pdfs" -ne "$want_pdf" ] || [ "$epubs" -ne "$want_epub" ]; then
    echo "  !! $label: $pdfs of $want_pdf PDFs, $epubs of $want_epub EPUBs"
    while read -r s; do
      [ -s "$dir/$s.pdf" ] || [ "$want_pdf" -eq 0 ] || echo "     missing $s.pdf"
      [ -s "$dir/$s.epub" ] || [ "$want_epub" -eq 0 ] || echo "     missing $s.epub"
    done < "$WORK/statements" | head -n 20 || true
    { grep -E -i -B2 -A6 'error|FAILED' "$log" || true; } | head -n 40 | sed 's/^/     | /' || true
    FAILED=1
  fi
}
FAILED=0
BOOKS=$HAS_BOOK

pandoc_run() {
  local r=$1
  export OUT=$PD/out-$r
  mkout "$OUT"
  queue_whole | timed "pandoc.whole" xargs -P "$JOBS" -n 2 /bin/sh "$PD/task.sh" 2> "$PD/log-$r"
  check_out "$OUT" "pandoc+typst run $r" $((N + BOOKS)) $((N + BOOKS)) "$PD/log-$r"
  if [ "$STAGES" = 1 ]; then
    export OUT=$PD/stages-$r
    mkout "$OUT"
    queue_leaf | timed "pandoc.leaflet-pdfs" xargs -P "$JOBS" -n 2 /bin/sh "$PD/task.sh" 2>> "$PD/log-$r"
    queue_epub | timed "pandoc.leaflet-epubs" xargs -P "$JOBS" -n 2 /bin/sh "$PD/task.sh" 2>> "$PD/log-$r"
    if [ "$HAS_BOOK" = 1 ]; then
      timed "pandoc.book-pdf" /bin/sh "$PD/task.sh" bookpdf - 2>> "$PD/log-$r"
      timed "pandoc.book-epub" /bin/sh "$PD/task.sh" bookepub - 2>> "$PD/log-$r"
    fi
    check_out "$OUT" "pandoc+typst stages run $r" $((N + BOOKS)) $((N + BOOKS)) "$PD/log-$r"
  fi
}
pam_run() {
  local r=$1 variant=$2 dir=$WORK/pam-$2 status=0
  rm -rf "${dir:?}/$OUTDIR"
  timed "pamphleteer.$variant" "$PAM" build --project "$dir" --force > "$WORK/pam-$variant-$r.log" 2>&1 || status=$?
  { grep -E '^built [0-9]+ of |^and the anthology' "$WORK/pam-$variant-$r.log" || true; } | sed 's/^/    /'
  check_out "$dir/$OUTDIR" "pamphleteer $variant run $r" $((N + BOOKS)) $((N + BOOKS)) "$WORK/pam-$variant-$r.log"
}

# Warm the page cache with the binaries and fonts, so run 1 is not the only one reading them from disk.
cat "$PANDOC" "$TYPST" "$PAM" > /dev/null
find "$FONTS" -type f -exec cat {} + > /dev/null

for r in $(seq 1 "$RUNS"); do
  echo "run $r of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
  pandoc_run "$r"
  pam_run "$r" nofit
  pam_run "$r" fit
  [ "$r" = "$RUNS" ] || rm -rf "$PD/out-$r" "$PD/stages-$r"
done

# ---------------------------------------------------------------- results
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med_wall() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/times" | median; }
med_cpu() { awk -v k="$1" '$1 == k { print $3 + $4 }' "$WORK/times" | median; }
pages() { local n=0 f p; for f in "$@"; do p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }'); n=$((n + ${p:-0})); done; echo "$n"; }

echo
echo "medians of $RUNS runs ($N statements, JOBS=$JOBS)       wall s    CPU s (user+sys)"
rows=(pandoc.whole)
[ "$STAGES" = 1 ] && rows+=(pandoc.leaflet-pdfs pandoc.leaflet-epubs)
[ "$STAGES" = 1 ] && [ "$HAS_BOOK" = 1 ] && rows+=(pandoc.book-pdf pandoc.book-epub)
rows+=(pamphleteer.nofit pamphleteer.fit)
for k in "${rows[@]}"; do
  case $k in
    pandoc.whole) label="pandoc+typst, whole" ;;
    pandoc.*) label="  stage ${k#pandoc.}" ;;
    pamphleteer.nofit) label="pamphleteer, fit = false" ;;
    pamphleteer.fit) label="pamphleteer, fitting as set" ;;
  esac
  printf '  %-48s %8s %10s\n' "$label" "$(med_wall "$k")" "$(med_cpu "$k")"
done
pw=$(med_wall pandoc.whole) pc=$(med_cpu pandoc.whole)
nw=$(med_wall pamphleteer.nofit) nc=$(med_cpu pamphleteer.nofit)
fw=$(med_wall pamphleteer.fit) fc=$(med_cpu pamphleteer.fit)
awk -v pw="$pw" -v pc="$pc" -v nw="$nw" -v nc="$nc" -v fw="$fw" -v fc="$fc" 'BEGIN {
  printf "ratio pandoc+typst / pamphleteer (fit = false): %.2f× wall, %.2f× CPU\n", pw / nw, pc / nc
  printf "ratio pandoc+typst / pamphleteer (fitting):     %.2f× wall, %.2f× CPU\n", pw / fw, pc / fc
  printf "cost of copyfitting in pamphleteer:             %+.2f s wall (%.2f×), %+.2f s CPU\n", fw - nw, fw / nw, fc - nc
}'
# Pages set, from the last run: like work on both sides means like page counts.
if command -v pdfinfo > /dev/null; then
  mapfile -t pd_leaf < <(sed "s|^|$PD/out-$RUNS/|; s|\$|.pdf|" "$WORK/statements")
  mapfile -t pam_leaf < <(sed "s|^|$WORK/pam-nofit/$OUTDIR/|; s|\$|.pdf|" "$WORK/statements")
  echo "pages (last run): leaflets pandoc+typst $(pages "${pd_leaf[@]}"), pamphleteer fit = false $(pages "${pam_leaf[@]}")$(
    if [ "$HAS_BOOK" = 1 ]; then
      # pamphleteer's book: the PDF at the top of out/ that is no statement's.
      pam_book=$(cd "$WORK/pam-nofit/$OUTDIR" && for f in *.pdf; do grep -qx "${f%.pdf}" "$WORK/statements" || echo "$PWD/$f"; done | head -n 1)
      echo "; book pandoc+typst $(pages "$PD/out-$RUNS/book.pdf"), pamphleteer $(pages "$pam_book")"
    fi)"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$FAILED" = 0 ] || { echo "some outputs are missing (see above): the figures are not comparable"; exit 1; }
