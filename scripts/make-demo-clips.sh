#!/usr/bin/env bash
# Makes the demo clips in demo/clips/ from synthetic footage whose camera behaviour is known by construction.
#
#   bash scripts/make-demo-clips.sh
#
# Needs ffmpeg (with libvpx) and the DejaVu fonts (Debian: apt-get install -y ffmpeg fonts-dejavu-core).
# Deterministic: single-threaded VP9 and bit-exact muxing, so a re-run produces byte-identical files.
#
# The "world" is a large flat picture (a far backdrop: gradient, grid, lettered markers, a floor) plus a row of
# near posts. Each clip moves a 640x360 window over it with ffmpeg expressions:
#   - uniform translation of near and far layers together (no parallax) = camera rotation (pan),
#   - near layer moving faster than the far layer (parallax)            = camera translation (truck, pedestal),
#   - window shrinking around a fixed centre, both layers alike         = zoom (focal length change),
#   - window rotating                                                   = roll,
#   - time remapped with setpts                                          = speed ramp.
# demo/clips/manifest.json records what each clip shows and the correct camera label; the demo seed reads it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/demo/clips"
FONT="${DEMO_FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}"

command -v ffmpeg >/dev/null || { echo "ffmpeg is not installed (apt-get install -y ffmpeg)" >&2; exit 1; }
[ -f "$FONT" ] || { echo "font $FONT not found (apt-get install -y fonts-dejavu-core, or set DEMO_FONT)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

FPS=24
SECONDS_PER_CLIP=4
FRAMES=$((FPS * SECONDS_PER_CLIP))
W=640
H=360
# The window's resting place in the world (top-left corner) and where the near posts stand inside it.
WIN_X=960
WIN_Y=760
POST_Y=80

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# VP9, constant quality, one thread and bit-exact container so output is reproducible.
encode_args=(
  -an -c:v libvpx-vp9 -pix_fmt yuv420p -b:v 0 -crf 36 -deadline good -cpu-used 2 -threads 1 -row-mt 0
  -g 48 -r "$FPS" -frames:v "$FRAMES" -fflags +bitexact -flags:v +bitexact -map_metadata -1
)

# --- the far backdrop: 2560x1440 -------------------------------------------------------------------------------
markers=""
colors=(0xe63946 0xf4a261 0x2a9d8f 0xe9c46a 0x8ecae6 0xb5179e 0x06d6a0 0xffb703)
letter=65
i=0
for y in 180 500 820; do
  for x in 120 440 760 1080 1400 1720 2040 2360; do
    c="${colors[$(((i + y / 160) % ${#colors[@]}))]}"
    ch="$(printf "\\$(printf '%03o' "$letter")")"
    markers+=",drawbox=x=$x:y=$y:w=112:h=112:color=$c:t=fill"
    markers+=",drawbox=x=$x:y=$y:w=112:h=112:color=white@0.9:t=4"
    markers+=",drawtext=fontfile=$FONT:text=$ch:fontsize=72:fontcolor=white:x=$x+56-tw/2:y=$y+56-th/2"
    letter=$((letter + 1))
    [ "$letter" -gt 90 ] && letter=65
    i=$((i + 1))
  done
done
ff -f lavfi -i "color=c=black:s=2560x1440:r=1,format=rgb24" -frames:v 1 -vf "\
geq=r='18+30*Y/H':g='36+60*Y/H':b='70+80*Y/H',\
drawgrid=w=160:h=160:t=2:c=white@0.22,\
drawbox=x=0:y=1060:w=iw:h=ih-1060:color=0x2b2d42:t=fill,\
drawgrid=x=0:y=1060:w=320:h=95:t=2:c=white@0.12,\
drawbox=x=0:y=1056:w=iw:h=6:color=0xf1faee:t=fill${markers}" "$WORK/backdrop.png"

# --- a near post: 64x220, striped so its movement is easy to read -------------------------------------------------
ff -f lavfi -i "color=c=0xe76f51:s=64x220:r=1,format=rgb24" -frames:v 1 -vf "\
drawbox=x=0:y=24:w=64:h=18:color=white:t=fill,drawbox=x=0:y=84:w=64:h=18:color=white:t=fill,\
drawbox=x=0:y=0:w=64:h=220:color=0x1d1d1d:t=3" "$WORK/post.png"

# Near posts in window coordinates at rest (world x = WIN_X + these).
POSTS=(40 300 560 820 1080 1340)

# Overlays the posts on [$1] with x offset expression $2 and y offset expression $3 (window coordinates), out [$4].
posts_chain() {
  local base="$1" dx="$2" dy="$3" out="$4" chain="" n=${#POSTS[@]}
  local prev="$base"
  chain+="[1:v]format=rgb24,split=$n"
  for k in $(seq 0 $((n - 1))); do chain+="[p$k]"; done
  chain+=";"
  for k in $(seq 0 $((n - 1))); do
    local next="v$k"
    [ "$k" -eq $((n - 1)) ] && next="$out"
    chain+="[$prev][p$k]overlay=format=rgb:x='${POSTS[$k]}+($dx)':y='$POST_Y+($dy)'[$next];"
    prev="$next"
  done
  printf '%s' "${chain%;}"
}

# The world with the posts standing at rest: what the camera sees from its resting place when nothing translates.
ff -i "$WORK/backdrop.png" -i "$WORK/post.png" -filter_complex \
  "[0:v]format=rgb24[bg];$(posts_chain bg "$WIN_X" "$WIN_Y" world)" -map "[world]" -frames:v 1 "$WORK/world.png"

# A moving subject for the static and speed-ramp clips: a cart crossing the floor and a spinning wheel.
ff -f lavfi -i "color=c=0x06d6a0:s=120x56:r=1,format=rgb24" -frames:v 1 \
  -vf "drawbox=x=0:y=0:w=120:h=56:color=0x073b4c:t=4,drawbox=x=14:y=14:w=92:h=10:color=white:t=fill" "$WORK/cart.png"
ff -f lavfi -i "color=c=0xffd166:s=150x20:r=1,format=rgb24" -frames:v 1 \
  -vf "drawbox=x=0:y=0:w=150:h=20:color=0x073b4c:t=3" "$WORK/blade.png"

# Static window + subjects. $1 = frame rate of the source (the speed ramp renders at 48 fps and remaps time).
subject_scene() {
  local rate="$1"
  printf '%s' "[0:v]format=rgb24,crop=$W:$H:$WIN_X:$WIN_Y[bg];\
[1:v]format=rgba[cart];\
[2:v]format=rgba,rotate=a='PI*t':ow=160:oh=160:c=black@0[wheel];\
[bg][cart]overlay=format=rgb:x='-130+200*t':y=294[s1];\
[s1][wheel]overlay=format=rgb:x=382:y=150,fps=$rate"
}

describe() { # file title camera description
  printf '    {"file":"%s","title":"%s","camera":"%s","description":"%s","durationSec":%s,"fps":%s,"width":%s,"height":%s}' \
    "$1" "$2" "$3" "$4" "$SECONDS_PER_CLIP" "$FPS" "$W" "$H"
}
entries=()

# 1. static: the window never moves; only the cart and wheel move inside the frame.
ff -loop 1 -framerate $FPS -i "$WORK/world.png" -loop 1 -framerate $FPS -i "$WORK/cart.png" \
  -loop 1 -framerate $FPS -i "$WORK/blade.png" \
  -filter_complex "$(subject_scene $FPS),format=yuv420p[v]" -map "[v]" "${encode_args[@]}" "$OUT/static.webm"
entries+=("$(describe static.webm "Static camera, cart crossing" static \
  "Synthetic: a fixed 640x360 window on a flat picture (backdrop with lettered markers, striped orange posts in front). The window never moves; only a green cart slides left to right along the floor and a yellow wheel spins. Correct camera label: static (no camera movement, steady); the moving cart is subject motion, not camera motion.")")

# 2. zoom in: the window shrinks around a fixed centre (2x over 4 s, exponential so the rate looks constant).
# Near and far layers magnify alike, which is what a focal-length change does; a dolly in would add parallax.
ff -loop 1 -framerate $FPS -i "$WORK/world.png" -filter_complex "[0:v]format=rgb24,\
zoompan=z='2*pow(2,on/$((FRAMES - 1)))':x='($WIN_X+$W/2)-iw/zoom/2':y='($WIN_Y+$H/2)-ih/zoom/2':d=1:s=${W}x${H}:fps=$FPS,\
format=yuv420p[v]" -map "[v]" "${encode_args[@]}" "$OUT/zoom_in.webm"
entries+=("$(describe zoom_in.webm "Zoom in on the markers" zoom_in \
  "Synthetic: the view window shrinks to half its width around a fixed centre over 4 s (ffmpeg zoompan, magnification 1x to 2x). Near posts and far backdrop grow at the same rate and nothing shifts relative to anything else, so there is no parallax: this is a change of focal length. Correct camera label: zoom in (not dolly in, which would make the near posts grow faster than the backdrop).")")

# 3. pan left: the window slides left over the composed world; posts and backdrop shift right together at one speed.
ff -loop 1 -framerate $FPS -i "$WORK/world.png" -filter_complex "[0:v]format=rgb24,\
crop=$W:$H:'$WIN_X+200-96*t':$WIN_Y,format=yuv420p[v]" -map "[v]" "${encode_args[@]}" "$OUT/pan_left.webm"
entries+=("$(describe pan_left.webm "Pan left across the backdrop" pan_left \
  "Synthetic: a 640x360 window slides left over one flat picture at 96 px/s, so everything in frame (near posts and far backdrop alike) moves right at the same speed. Equal image motion at every depth, with no parallax, is what a camera rotating about its own axis produces, so the label is a rotation. Correct camera label: pan left (not truck left, which would move the near posts faster than the backdrop).")")

# 4. truck right: far backdrop shifts left at 48 px/s, near posts at 144 px/s: parallax from a sideways translation.
ff -loop 1 -framerate $FPS -i "$WORK/backdrop.png" -loop 1 -framerate $FPS -i "$WORK/post.png" -filter_complex \
  "[0:v]format=rgb24,crop=$W:$H:'$WIN_X+48*t':$WIN_Y[bg];$(posts_chain bg "-144*t" 0 mv);[mv]format=yuv420p[v]" \
  -map "[v]" "${encode_args[@]}" "$OUT/truck_right.webm"
entries+=("$(describe truck_right.webm "Truck right past the posts" truck_right \
  "Synthetic, two layers: the far backdrop moves left in frame at 48 px/s while the near orange posts move left at 144 px/s. Near objects moving faster than far ones (motion parallax) means the camera itself translates sideways; content moving left means the camera moves right. Correct camera label: truck right (not pan right, which would move both layers at one speed).")")

# 5. pedestal up: far backdrop shifts down at 24 px/s, near posts at 72 px/s until they sink out of frame.
ff -loop 1 -framerate $FPS -i "$WORK/backdrop.png" -loop 1 -framerate $FPS -i "$WORK/post.png" -filter_complex \
  "[0:v]format=rgb24,crop=$W:$H:$WIN_X:'$WIN_Y+60-24*t'[bg];$(posts_chain bg 0 "-60+72*t" mv);[mv]format=yuv420p[v]" \
  -map "[v]" "${encode_args[@]}" "$OUT/pedestal_up.webm"
entries+=("$(describe pedestal_up.webm "Pedestal up over the posts" pedestal_up \
  "Synthetic, two layers: the far backdrop moves down in frame at 24 px/s while the near posts move down at 72 px/s and sink out of the bottom of the frame. Parallax with content moving down means the camera rises without tilting. Correct camera label: pedestal up (not tilt up, which would move both layers at one speed).")")

# 6. roll: the window rotates counterclockwise on screen from level to 14 degrees over 3 s, then holds the Dutch angle.
# ffmpeg's rotate turns the picture clockwise for a positive angle; the camera rolling clockwise turns the picture
# counterclockwise, hence the minus sign. The 760x760 source square covers the rotated 640x360 corners.
ff -loop 1 -framerate $FPS -i "$WORK/world.png" -filter_complex "[0:v]format=rgb24,\
crop=760:760:$((WIN_X + W / 2 - 380)):$((WIN_Y + H / 2 - 380)),\
rotate=a='-14*PI/180*min(t/3,1)':ow=$W:oh=$H,format=yuv420p[v]" -map "[v]" "${encode_args[@]}" "$OUT/roll_dutch.webm"
entries+=("$(describe roll_dutch.webm "Roll clockwise into a Dutch angle" roll_clockwise \
  "Synthetic: a level view that rotates about the frame centre; the picture turns counterclockwise on screen (the floor line's right end rises) from 0 to 14 degrees over 3 s, then holds for 1 s. The picture turning counterclockwise means the camera rolls clockwise about its lens axis. Correct camera label: roll clockwise, ending on a Dutch angle (angle: level to Dutch).")")

# 7. speed ramp: the static scene rendered at 48 fps and retimed: regular speed for 1.5 s, a 0.5 s ramp, then 0.5x.
# Output time f(T) = T, then T + (T-1.5)^2, then 2.25 + 2(T-2): the playback speed falls smoothly from 1x to 0.5x.
ff -loop 1 -framerate 48 -i "$WORK/world.png" -loop 1 -framerate 48 -i "$WORK/cart.png" \
  -loop 1 -framerate 48 -i "$WORK/blade.png" -filter_complex "$(subject_scene 48),\
setpts='if(lt(T,1.5),T,if(lt(T,2),T+(T-1.5)*(T-1.5),2.25+2*(T-2)))/TB',fps=$FPS,format=yuv420p[v]" \
  -map "[v]" "${encode_args[@]}" "$OUT/speed_ramp.webm"
entries+=("$(describe speed_ramp.webm "Speed ramp to slow motion" speed_ramp \
  "Synthetic: the static-camera scene (cart and spinning wheel) rendered at 48 fps and retimed with setpts: regular speed for 1.5 s, a smooth ramp over the next 0.5 s of source time, then half speed (slow motion) to the end. The cart and the wheel slow down together by the same factor, which is what a playback-speed change does (a subject decelerating would not slow the wheel). Correct labels: camera static; video speed: speed ramp, regular to slow motion.")")

{
  printf '{"clips":[\n'
  for k in "${!entries[@]}"; do
    printf '%s' "${entries[$k]}"
    [ "$k" -lt $((${#entries[@]} - 1)) ] && printf ','
    printf '\n'
  done
  printf ']}\n'
} >"$OUT/manifest.json"

du -ch "$OUT"/*.webm | tail -1
