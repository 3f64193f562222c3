#!/usr/bin/env bash
# Opt-in acceptance check with the REAL editors (Shotcut 22.12 and Kdenlive 22.12, document 1.04, as in Debian
# bookworm). Not run by CI: it needs the editors, an X server (its own Xvfb) and a few minutes.
#
#   bundles/itest/real-editors/check.sh            # work dir: a new /tmp/kinora-real-editors.XXXXXX
#   KINORA_REAL_EDITORS_WORK=/tmp/x bundles/itest/real-editors/check.sh
#
# Shotcut: `kinora demo` project -> Shotcut opens+saves it -> `kinora apply` (replace, pencil, V1:3) -> Shotcut opens
# the result (screenshot) and saves it -> kinora:* properties survive -> melt renders the same frame count.
# Kdenlive: host-mlt's 1.04 fixture (media made with ffmpeg as Fixtures.makeMedia does) -> Kdenlive opens + Save As ->
# `kinora apply` replace (V1:2) and overlay (V1:1) -> Kdenlive opens it with no unexpected dialog (screenshot) + Save As
# -> kinora:* properties survive -> melt renders the same frame count, the placed ranges differ, the rest is identical.
# Real footage: two camera clips from Debian's opencv-doc package -> `kinora demo --footage` (cartoon on V1:2) -> Shotcut
# opens and saves it -> kinora:* properties survive -> melt renders the same frame count, only V1:2 differs.
# Prints PASS/FAIL per step and where the screenshots are; exits non-zero when a step fails.
# The editors run with a throw-away HOME under the work dir, so the user's editor settings are not touched.
set -uo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../.." && pwd)"
KINORA="$ROOT/kinora"
FIXTURE="$ROOT/bundles/host-mlt/src/test/resources/projects/kdenlive-22.12-doc1.04.kdenlive"
PLACEHOLDER="/home/editor/Videos/kinora-demo"
WORK="${KINORA_REAL_EDITORS_WORK:-$(mktemp -d /tmp/kinora-real-editors.XXXXXX)}"
SHOTS="$WORK/screenshots"
LOGS="$WORK/logs"
EDHOME="$WORK/editor-home"
LOAD_TIMEOUT="${KINORA_EDITOR_TIMEOUT:-120}" # seconds to wait for an editor window
SETTLE="${KINORA_EDITOR_SETTLE:-8}"          # seconds to let an editor finish loading the timeline
mkdir -p "$SHOTS" "$LOGS" "$EDHOME" "$WORK/runtime"
chmod 700 "$WORK/runtime"

RESULTS=()
FAILED=0
XVFB_PID=""
ED_PID=""   # the editor (or dbus-run-session) process this script started and has not seen exit yet
ED_WIN=""   # its main window name pattern

say() { echo "    $*"; }
record() { # STATUS NAME
  RESULTS+=("$(printf '%-4s  %s' "$1" "$2")")
  echo "[$1] $2"
  [ "$1" = PASS ] || FAILED=1
}
# step NAME COMMAND...: runs a check, its output indented (and in logs/steps.log), and records PASS/FAIL.
step() {
  local name=$1
  shift
  echo "--- $name"
  local rc
  # not a pipe: the check runs in this shell, so the editor it starts stays this script's child
  { "$@"; } > >(tee -a "$LOGS/steps.log" | sed -u 's/^/    /') 2>&1
  rc=$?
  sleep 0.3 # let the (unbuffered) indented output out before the verdict line
  if [ $rc = 0 ]; then record PASS "$name"; else record FAIL "$name"; fi
  return $rc
}
need() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------------------- setup
ensure_tools() {
  local pkgs=()
  need shotcut || pkgs+=(shotcut)
  need kdenlive || pkgs+=(kdenlive)
  need Xvfb || pkgs+=(xvfb)
  need xdotool || pkgs+=(xdotool)
  need import || pkgs+=(imagemagick)
  need dbus-run-session || pkgs+=(dbus-x11)
  need melt || pkgs+=(melt)
  need ffmpeg || pkgs+=(ffmpeg)
  need python3 || pkgs+=(python3)
  if [ ${#pkgs[@]} = 0 ]; then
    echo "all tools present (shotcut $(dpkg-query -W -f='${Version}' shotcut 2>/dev/null), kdenlive $(dpkg-query -W -f='${Version}' kdenlive 2>/dev/null), melt $(dpkg-query -W -f='${Version}' melt 2>/dev/null))"
    return 0
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  need apt-get || { echo "please install: ${pkgs[*]}"; return 1; }
  echo "installing ${pkgs[*]} with apt-get ..."
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}"
}

start_xvfb() {
  local n
  for n in $(seq 97 130); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >"$LOGS/xvfb.log" 2>&1 &
    XVFB_PID=$!
    local i
    for i in $(seq 1 50); do
      if [ -e "/tmp/.X11-unix/X$n" ]; then
        export DISPLAY=":$n"
        echo "Xvfb on $DISPLAY (pid $XVFB_PID)"
        return 0
      fi
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill "$XVFB_PID" 2>/dev/null
    XVFB_PID=""
  done
  echo "could not start Xvfb"
  return 1
}

# ---------------------------------------------------------------------------------------------------------- windows
visible_names() { xdotool search --onlyvisible --name . getwindowname %@ 2>/dev/null | sort -u; }
find_win() { xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1; }
wait_win() { # PATTERN TIMEOUT -> window id
  local end=$((SECONDS + $2)) w
  while [ $SECONDS -lt $end ]; do
    w=$(find_win "$1")
    [ -n "$w" ] && { echo "$w"; return 0; }
    sleep 0.5
  done
  return 1
}
keys() { # WINDOW KEY...
  timeout 10 xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowactivate "$1" 2>/dev/null
  shift
  xdotool key --clearmodifiers "$@"
}
# a window title up to the em dash Kdenlive puts before its name (xdotool's regex does not cross it reliably)
title_key() { local t=${1%% —*}; t=${t#"${t%%[! ]*}"}; echo "$t"; }
shot() { import -window root "$SHOTS/$1.png" 2>/dev/null && say "screenshot: $SHOTS/$1.png"; }
fingerprint() { [ -f "$1" ] && md5sum "$1" | cut -d' ' -f1 || echo none; }
wait_changed() { # FILE OLD_FINGERPRINT TIMEOUT: the file differs from OLD and stopped changing
  local end=$((SECONDS + $3)) now last=""
  while [ $SECONDS -lt $end ]; do
    now=$(fingerprint "$1")
    if [ "$now" != "$2" ] && [ "$now" != none ] && [ "$now" = "$last" ]; then return 0; fi
    last=$now
    sleep 1
  done
  return 1
}

# ctrl+q to the editor, wait for it to exit; kill it only as a last resort.
quit_editor() {
  [ -n "$ED_PID" ] || return 0
  local w i
  w=$(find_win "$ED_WIN")
  [ -n "$w" ] && keys "$w" ctrl+q
  for i in $(seq 1 60); do
    kill -0 "$ED_PID" 2>/dev/null || { wait "$ED_PID" 2>/dev/null; ED_PID=""; return 0; }
    sleep 0.5
  done
  echo "editor did not quit on ctrl+q (visible: $(visible_names | tr '\n' '|')); killing pid $ED_PID and its children"
  shot "quit-stuck-$(date +%s)"
  pkill -TERM -P "$ED_PID" 2>/dev/null
  kill -TERM "$ED_PID" 2>/dev/null
  sleep 3
  pkill -KILL -P "$ED_PID" 2>/dev/null
  kill -KILL "$ED_PID" 2>/dev/null
  wait "$ED_PID" 2>/dev/null
  ED_PID=""
  return 1
}

cleanup() {
  quit_editor >/dev/null 2>&1
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

editor_env() { env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME HOME="$EDHOME" XDG_RUNTIME_DIR="$WORK/runtime" "$@"; }

# --------------------------------------------------------------------------------------------- project inspection
# kinora:* properties of a project, one "element-id name=value" a line, sorted
kinora_props() {
  python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
out = []
for el in ET.parse(sys.argv[1]).getroot().iter():
    for p in el.findall("property"):
        n = p.get("name", "")
        if n.startswith("kinora:"):
            out.append("%s %s=%s" % (el.get("id"), n, (p.text or "").strip()))
print("\n".join(sorted(out)))
EOF
}
props_survive() { # BEFORE AFTER
  local a b
  a=$(kinora_props "$1") && b=$(kinora_props "$2") || return 1
  local n
  n=$(printf '%s\n' "$a" | grep -c 'kinora:')
  echo "kinora:* properties: $n in $(basename "$1"), $(printf '%s\n' "$b" | grep -c 'kinora:') in $(basename "$2")"
  [ "$n" -gt 0 ] || { echo "no kinora:* properties at all"; return 1; }
  if [ "$a" != "$b" ]; then
    diff <(printf '%s\n' "$a") <(printf '%s\n' "$b")
    return 1
  fi
}
# `kinora info` fields: "W H FRAMES" of the profile line, and "POSITION LENGTH" of a clip ref
info_profile() { "$KINORA" info "$1" 2>/dev/null | sed -n 's/^profile: \([0-9]*\)x\([0-9]*\) at .*, \([0-9]*\) frames.*/\1 \2 \3/p'; }
info_clip() { "$KINORA" info "$1" 2>/dev/null | awk -v r="$2" '$1 == r { gsub(/\(/, "", $8); print $3, $8 }'; }

render() { # PROJECT OUT.rgb [FRAMES]: melt to raw rgb24 (FRAMES bounds it: Kdenlive 1.04's seek offset)
  local args=("$1")
  [ -n "${3:-}" ] && args+=("out=$(($3 - 1))")
  timeout 600 melt "${args[@]}" -consumer "avformat:$2" f=rawvideo pix_fmt=rgb24 an=1 real_time=0 \
    </dev/null >"$LOGS/melt-$(basename "$2").log" 2>&1
}
# compare two renders frame by frame: frames in the RANGES (start:length ...) must differ, the others be identical
compare_renders() { # A B W H RANGES...
  python3 - "$@" <<'EOF'
import sys
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
fb = int(sys.argv[3]) * int(sys.argv[4]) * 3
ranges = [tuple(map(int, r.split(":"))) for r in sys.argv[5:]]
na, nb = len(a) // fb, len(b) // fb
print("frames: %d vs %d" % (na, nb))
if na != nb or na == 0:
    sys.exit(1)
def diff(i):
    x, y = a[i*fb:(i+1)*fb], b[i*fb:(i+1)*fb]
    if x == y:
        return 0.0
    step = 7  # a sample of the bytes is plenty to tell a restyled frame from the original
    return sum(abs(x[k] - y[k]) for k in range(0, fb, step)) / len(range(0, fb, step))
bad, changed, same = [], 0, 0
for i in range(na):
    inside = any(s <= i < s + n for s, n in ranges)
    d = diff(i)
    if inside:
        changed += 1
        if d < 2.0: bad.append("frame %d should differ (mean diff %.2f)" % (i, d))
    else:
        same += 1
        if d != 0.0: bad.append("frame %d outside the placed clips changed (mean diff %.2f)" % (i, d))
print("%d frames in the placed ranges differ from the original, %d others identical" % (changed - sum('should' in x for x in bad), same - sum('outside' in x for x in bad)))
for x in bad[:10]: print(x)
sys.exit(1 if bad else 0)
EOF
}

# ---------------------------------------------------------------------------------------------------------- editors
# shotcut_open_save PROJECT LABEL: Shotcut opens PROJECT, screenshot, ctrl+s (in place), ctrl+q
shotcut_open_save() {
  local proj=$1 label=$2 name w before
  name=$(basename "$proj")
  before=$(fingerprint "$proj")
  editor_env shotcut "$proj" >"$LOGS/shotcut-$label.log" 2>&1 &
  ED_PID=$!
  ED_WIN="$name.* - Shotcut"
  w=$(wait_win "$ED_WIN" "$LOAD_TIMEOUT") || { echo "no Shotcut window for $name in ${LOAD_TIMEOUT}s"; shot "shotcut-$label-timeout"; quit_editor; return 1; }
  sleep "$SETTLE"
  local dialogs
  dialogs=$(visible_names | grep -viE "^(Shotcut|$name.* - Shotcut|Qt Selection Owner.*)$" || true)
  shot "shotcut-$label"
  if [ -n "$dialogs" ]; then
    echo "unexpected Shotcut window(s) after load: $(echo "$dialogs" | tr '\n' '|')"
    quit_editor
    return 1
  fi
  echo "Shotcut shows $name with no other window"
  keys "$w" ctrl+s
  if ! wait_changed "$proj" "$before" 60; then
    echo "Shotcut did not save $name within 60 s"
    quit_editor
    return 1
  fi
  echo "Shotcut saved $name ($(grep -c 'shotcut:hash' "$proj") shotcut:hash properties)"
  quit_editor
}

# kdenlive_open_saveas PROJECT SAVE_AS LABEL EXPECTED: Kdenlive opens PROJECT; dialogs matching the regex EXPECTED
# while loading are answered with Return, any other dialog fails the step; screenshot; Save As SAVE_AS; ctrl+q.
kdenlive_open_saveas() {
  local proj=$1 out=$2 label=$3 expected=$4 stem w names dialog bad=0
  stem=$(basename "$proj" .kdenlive)
  rm -f "$out"
  editor_env dbus-run-session -- kdenlive "$proj" >"$LOGS/kdenlive-$label.log" 2>&1 &
  ED_PID=$!
  ED_WIN="^$stem [*]?/"
  local end=$((SECONDS + LOAD_TIMEOUT))
  w=""
  while [ $SECONDS -lt $end ]; do
    w=$(find_win "$ED_WIN")
    names=$(visible_names | grep -vE "^(kdenlive|Qt Selection Owner.*)$" | grep -vE "^$stem [*]?/" || true)
    if [ -n "$names" ]; then
      dialog=$(echo "$names" | head -1)
      sleep 1
      shot "kdenlive-$label-dialog-$(echo "$dialog" | tr -cd 'A-Za-z')"
      if [ -n "$expected" ] && echo "$dialog" | grep -qiE "$expected"; then
        echo "expected dialog while loading: '$dialog' (answered with Return)"
      else
        echo "UNEXPECTED dialog while loading: '$dialog' (answered with Return)"
        bad=1
      fi
      keys "$(find_win "$(title_key "$dialog")")" Return
      sleep 1
      continue
    fi
    [ -n "$w" ] && break
    sleep 0.5
  done
  [ -n "$w" ] || { echo "no Kdenlive window for $stem in ${LOAD_TIMEOUT}s"; shot "kdenlive-$label-timeout"; quit_editor; return 1; }
  sleep "$SETTLE"
  names=$(visible_names | grep -vE "^(kdenlive|Qt Selection Owner.*)$" | grep -vE "^$stem [*]?/" || true)
  if [ -n "$names" ]; then
    echo "UNEXPECTED window(s) after load: $(echo "$names" | tr '\n' '|')"
    bad=1
  fi
  echo "Kdenlive window: $(xdotool getwindowname "$w")"
  shot "kdenlive-$label"

  keys "$w" ctrl+shift+s
  local sa
  sa=$(wait_win "^Save As" 30) || { echo "no Save As dialog"; shot "kdenlive-$label-nosaveas"; quit_editor; return 1; }
  sleep 1
  keys "$sa" ctrl+a
  xdotool type --delay 20 "$out"
  xdotool key --clearmodifiers Return
  end=$((SECONDS + 60))
  local last="" now
  while [ $SECONDS -lt $end ]; do
    dialog=$(visible_names | grep -E "^(Information|Warning|Question|Error)" | head -1 || true)
    if [ -n "$dialog" ]; then
      shot "kdenlive-$label-save-$(echo "$dialog" | tr -cd 'A-Za-z')"
      echo "dialog while saving: '$dialog' (Kdenlive's note about the backup copy / document upgrade; answered with Return)"
      keys "$(find_win "$(title_key "$dialog")")" Return
      sleep 1
      continue
    fi
    now=$(fingerprint "$out")
    [ "$now" != none ] && [ "$now" = "$last" ] && [ -n "$(find_win "^$(basename "$out" .kdenlive) [*]?/")" ] && break
    last=$now
    sleep 1
  done
  if [ ! -s "$out" ]; then
    echo "Kdenlive did not write $out"
    quit_editor
    return 1
  fi
  echo "Kdenlive saved as $out"
  ED_WIN="^$(basename "$out" .kdenlive) [*]?/"
  quit_editor
  return $bad
}

# ---------------------------------------------------------------------------------------------------------- media
make_fixture_media() { # DIR: the media of host-mlt's Fixtures.makeMedia
  local m=$1 f=(ffmpeg -hide_banner -loglevel error -y)
  mkdir -p "$m"
  "${f[@]}" -f lavfi -i testsrc2=size=320x180:rate=25:duration=4 -f lavfi -i sine=frequency=440:duration=4 \
    -c:v ffv1 -pix_fmt bgr0 -c:a pcm_s16le -shortest "$m/intro.mkv" &&
  "${f[@]}" -f lavfi -i testsrc=size=320x180:rate=25:duration=6 -c:v ffv1 -pix_fmt bgr0 "$m/city.mkv" &&
  "${f[@]}" -f lavfi -i smptebars=size=320x180 -frames:v 1 "$m/logo.png" &&
  "${f[@]}" -f lavfi -i sine=frequency=220:duration=10 "$m/music.wav" &&
  "${f[@]}" -f lavfi -i testsrc2=size=320x180:rate=30000/1001 -f lavfi -i sine=frequency=330 -frames:v 150 \
    -c:v ffv1 -pix_fmt bgr0 -c:a pcm_s16le -t 5.005 "$m/ntsc_a.mkv" &&
  "${f[@]}" -f lavfi -i testsrc=size=320x180:rate=30000/1001 -frames:v 120 -c:v ffv1 -pix_fmt bgr0 "$m/ntsc_b.mkv" &&
  echo "media: $(ls "$m" | tr '\n' ' ')"
}

# ---------------------------------------------------------------------------------------------------------- checks
SC="$WORK/shotcut"
KD="$WORK/kdenlive"

shotcut_checks() {
  local p="$SC/demo.mlt" applied="$SC/demo-kinora.mlt"
  step "shotcut: kinora demo project" "$KINORA" demo --dir "$SC" --no-render --width 640 --height 360 --seconds 2 || return
  step "shotcut: opens and saves the demo project" shotcut_open_save "$p" 1-demo || return
  local prof
  prof=$(info_profile "$p")
  step "shotcut: kinora apply replace pencil V1:3 on the Shotcut-saved project" \
    "$KINORA" apply "$p" --clip V1:3 --effect style-transfer --set style=pencil --out "$applied" || return
  cp "$applied" "$SC/demo-kinora.before-shotcut.mlt"
  step "shotcut: opens (screenshot) and saves the kinora project" shotcut_open_save "$applied" 2-kinora || return
  step "shotcut: kinora:* properties survive Shotcut's save" props_survive "$SC/demo-kinora.before-shotcut.mlt" "$applied"
  set -- $prof
  local w=$1 h=$2 n=$3 pos len
  set -- $(info_clip "$p" V1:3)
  pos=$1 len=$2
  step "shotcut: melt renders the same frame count ($n), only V1:3 ($pos+$len) differs" eval \
    'render "$p" "$SC/before.rgb" && render "$applied" "$SC/after.rgb" && compare_renders "$SC/before.rgb" "$SC/after.rgb" '"$w $h $pos:$len"' && [ $(( $(stat -c %s "$SC/after.rgb") / (w*h*3) )) = '"$n"' ]'
  rm -f "$SC"/*.rgb
}

kdenlive_checks() {
  mkdir -p "$KD"
  step "kdenlive: fixture media (ffmpeg, as Fixtures.makeMedia)" make_fixture_media "$KD/media" || return
  sed "s#$PLACEHOLDER#$KD#g" "$FIXTURE" >"$KD/kd.kdenlive"
  step "kdenlive: opens the 1.04 fixture and saves it (Save As)" \
    kdenlive_open_saveas "$KD/kd.kdenlive" "$KD/kd-saved.kdenlive" 1-fixture "Clip Problems" || return
  local saved="$KD/kd-saved.kdenlive" final="$KD/kd-final.kdenlive"
  step "kdenlive: kinora apply replace pencil V1:2" \
    "$KINORA" apply "$saved" --clip V1:2 --effect style-transfer --set style=pencil --out "$KD/kd-replaced.kdenlive" || return
  step "kdenlive: kinora apply overlay pencil V1:1" "$KINORA" apply "$KD/kd-replaced.kdenlive" --clip V1:1 \
    --effect style-transfer --set style=pencil --mode overlay --out "$KD/kd-kinora.kdenlive" || return
  step "kdenlive: opens the kinora project with no unexpected dialog (screenshot), Save As" \
    kdenlive_open_saveas "$KD/kd-kinora.kdenlive" "$final" 2-kinora "" || return
  step "kdenlive: kinora:* properties survive Kdenlive's save" props_survive "$KD/kd-kinora.kdenlive" "$final"
  local prof w h n p1 l1 p2 l2
  prof=$(info_profile "$saved")
  set -- $prof
  w=$1 h=$2 n=$3
  set -- $(info_clip "$saved" V1:1)
  p1=$1 l1=$2
  set -- $(info_clip "$saved" V1:2)
  p2=$1 l2=$2
  step "kdenlive: timeline length kept ($n frames) and a V3 track added" eval \
    '"$KINORA" info "$final" | grep -E "^(profile|V[0-9]|A[0-9])"; [ "$(info_profile "$final")" = "$prof" ] && "$KINORA" info "$final" | grep -q "^V3 "'
  step "kdenlive: melt renders $n frames, V1:1 ($p1+$l1) and V1:2 ($p2+$l2) differ, the rest identical" eval \
    'render "$saved" "$KD/before.rgb" '"$n"' && render "$final" "$KD/after.rgb" '"$n"' && compare_renders "$KD/before.rgb" "$KD/after.rgb" '"$w $h $p1:$l1 $p2:$l2"' && [ $(( $(stat -c %s "$KD/after.rgb") / (w*h*3) )) = '"$n"' ]'
  rm -f "$KD"/*.rgb
}

FT="$WORK/footage"

# Real camera footage from Debian's opencv-doc package (OpenCV's sample data): vtest.avi (768x576, 10 fps, MS-MPEG4,
# people on a campus) and cup.mp4 (640x480, H.264 + AAC, a hand holding a cup). Fetched, never committed.
real_footage() { # DIR
  local d=$1
  mkdir -p "$d"
  (
    cd "$d" || exit 1
    apt-get download opencv-doc >/dev/null 2>&1 || { apt-get update -qq && apt-get download opencv-doc; } || exit 1
    dpkg-deb -x opencv-doc_*.deb x &&
      cp x/usr/share/doc/opencv-doc/examples/data/vtest.avi . &&
      gunzip -c x/usr/share/doc/opencv-doc/opencv4/html/cup.mp4.gz >cup.mp4
    local rc=$?
    rm -rf x opencv-doc_*.deb
    exit $rc
  ) && ls -l "$d"
}

footage_checks() {
  step "footage: real camera clips (vtest.avi, cup.mp4 from Debian's opencv-doc)" real_footage "$FT/media" || return
  local demo="$FT/demo"
  step "footage: kinora demo --footage, cartoon on V1:2 (cup.mp4)" \
    "$KINORA" demo --dir "$demo" --footage "$FT/media/vtest.avi" --footage "$FT/media/cup.mp4" --seconds 4 --no-render || return
  local p="$demo/demo.mlt" styled="$demo/demo-styled.mlt"
  cp "$styled" "$demo/demo-styled.before-shotcut.mlt"
  step "footage: Shotcut opens (screenshot) and saves the restyled project" shotcut_open_save "$styled" 3-footage || return
  step "footage: kinora:* properties survive Shotcut's save" props_survive "$demo/demo-styled.before-shotcut.mlt" "$styled"
  local prof w h n pos len
  prof=$(info_profile "$p")
  set -- $prof
  w=$1 h=$2 n=$3
  set -- $(info_clip "$p" V1:2)
  pos=$1 len=$2
  step "footage: melt renders the same frame count ($n), only V1:2 ($pos+$len) differs" eval \
    'render "$p" "$FT/before.rgb" && render "$styled" "$FT/after.rgb" && compare_renders "$FT/before.rgb" "$FT/after.rgb" '"$w $h $pos:$len"' && [ $(( $(stat -c %s "$FT/after.rgb") / (w*h*3) )) = '"$n"' ]'
  rm -f "$FT"/*.rgb
}

echo "kinora real-editor check; work dir $WORK"
if step "tools (shotcut kdenlive xvfb xdotool imagemagick dbus-x11 melt ffmpeg)" ensure_tools &&
  step "Xvfb" start_xvfb; then
  shotcut_checks
  kdenlive_checks
  footage_checks
fi
cleanup
trap - EXIT

echo
echo "==================== kinora real-editor check: summary"
printf '%s\n' "${RESULTS[@]}"
echo "screenshots: $SHOTS"
ls -1 "$SHOTS" 2>/dev/null | sed 's/^/  /'
echo "logs:        $LOGS   projects: $SC, $KD, $FT"
if [ $FAILED = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
exit $FAILED
