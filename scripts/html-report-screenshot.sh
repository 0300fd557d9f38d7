#!/usr/bin/env bash
# Screenshots of the HTML grading report (`checker grade --format html`) in headless Chromium,
# to look at the page as an instructor sees it.
#
#   scripts/html-report-screenshot.sh               grade demo submissions, then screenshot
#   scripts/html-report-screenshot.sh REPORT.html   screenshot an existing report
#
# The demo grades a handful of made-up submissions (every verdict, an ungradable folder, an
# edited test, hostile names and messages) of the small course in
# checker/tests/fixtures/grading. With DEMO_COURSE=DIR it grades made-up submissions of that
# course instead (DEMO_COURSE=. for the real one: slower, but the grid is full size).
#
# Writes into OUT_DIR (default target/html-report): report.png (the grid), report-details.png
# (the details of submission DETAILS, default 0, the first, open), report-dark.png (dark mode);
# the demo's report.html too. WINDOW_SIZE sets the window (default 1280,900). Needs Chromium: apt-get install -y chromium (or set CHROMIUM to its path).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="${OUT_DIR:-$repo/target/html-report}"
chromium="${CHROMIUM:-chromium}"
size="${WINDOW_SIZE:-1280,900}"
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

if ! command -v "$chromium" >/dev/null; then
    echo "Chromium is not installed: apt-get install -y chromium (or set CHROMIUM)." >&2
    exit 1
fi

# A course copy to grade against: the files of $1 and a workspace manifest, as the checker's
# tests lay out their fixtures. The copy's target/ is kept from one run to the next.
lay_out_course() {
    local from="$1" to="$2"
    mkdir -p "$to"
    find "$to" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
    (cd "$from" && tar --exclude=./target --exclude=./.git --exclude=./.checker -cf - .) | (cd "$to" && tar -xf -)
    if [ ! -f "$from/Cargo.toml" ] || ! grep -q '^\[workspace\]' "$from/Cargo.toml"; then
        printf '[workspace]\nresolver = "3"\nmembers = ["exercises/*"]\n\n[workspace.dependencies]\ntestkit = { path = "%s" }\n' \
            "$repo/testkit" >"$to/Cargo.toml"
    fi
}

# A submission: a copy of the course without its build output.
copy_course() {
    mkdir -p "$2"
    (cd "$1" && tar --exclude=./target -cf - .) | (cd "$2" && tar -xf -)
}

demo_fixture() {
    local course="$1" subs="$2" sol="$1/solutions"
    local sum="exercises/01_sum/src/lib.rs" count="exercises/02_count/src/lib.rs"
    for name in alice bob carol dave frank henry; do copy_course "$course" "$subs/$name"; done
    cp "$sol/01_sum/src/lib.rs" "$subs/alice/$sum"
    cp "$sol/02_count/src/lib.rs" "$subs/alice/$count"
    cp "$sol/01_sum/src/lib.rs" "$subs/bob/$sum"
    printf 'pub fn total(values: &[u64]) -> u64 {\n    values.iter().sum::<u64>() + "1"\n}\n' >"$subs/carol/$sum"
    cp "$sol/02_count/src/lib.rs" "$subs/carol/$count"
    printf 'pub fn total(_: &[u64]) -> u64 {\n    loop {\n        std::thread::park();\n    }\n}\n' >"$subs/dave/$sum"
    printf 'pub fn evens(_: &[u64]) -> usize {\n    std::process::abort()\n}\n' >"$subs/dave/$count"
    cp "$sol/01_sum/src/lib.rs" "$subs/frank/$sum"
    printf 'pub fn evens(_: &[u64]) -> usize {\n    panic!("</pre><script>alert(1)</script> & friends")\n}\n' >"$subs/frank/$count"
    echo "// the test, made to pass" >>"$subs/frank/exercises/01_sum/tests/sum.rs"
    cp "$sol/01_sum/src/lib.rs" "$subs/henry/$sum"
    cp "$sol/02_count/src/lib.rs" "$subs/henry/$count"
    # Only one file handed in, in a folder with a hostile name.
    local eve="$subs/eve <img src=x onerror=alert(1)>"
    mkdir -p "$eve/exercises/01_sum/src"
    cp "$sol/01_sum/src/lib.rs" "$eve/$sum"
    # Not a copy of the course at all.
    mkdir -p "$subs/grace"
    echo "my homework" >"$subs/grace/README.txt"
}

# Made-up submissions of any course: each student solved a different share of the exercises.
demo_course() {
    local course="$1" subs="$2" student index=0
    local shares=(100 90 75 60 40 20 5)
    RANDOM=7
    for student in ada bjarne carla dmitri edsger frances grace; do
        copy_course "$course" "$subs/$student"
        for solution in "$course"/solutions/*/; do
            solution="${solution%/}"
            if [ $((RANDOM % 100)) -lt "${shares[$index]}" ]; then
                cp -r "$solution/." "$subs/$student/exercises/$(basename "$solution")/"
            fi
        done
        index=$((index + 1))
    done
}

if [ $# -ge 1 ]; then
    report="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    [ -f "$report" ] || { echo "no such report: $1" >&2; exit 1; }
else
    work="$out_dir/demo"
    course="$work/course"
    subs="$work/submissions"
    rm -rf "$subs"
    mkdir -p "$subs"
    if [ -n "${DEMO_COURSE:-}" ]; then
        lay_out_course "$(cd "$DEMO_COURSE" && pwd)" "$course"
        demo_course "$course" "$subs"
    else
        lay_out_course "$repo/checker/tests/fixtures/grading" "$course"
        demo_fixture "$course" "$subs"
    fi
    report="$out_dir/report.html"
    echo "grading $(ls "$subs" | wc -l) demo submissions of $course ..." >&2
    (cd "$repo" && cargo run -q -p checker -- --root "$course" \
        grade "$subs"/* --format html --output "$report")
    echo "wrote $report" >&2
fi

shoot() {
    local png="$1" url="$2" size="$3"
    shift 3
    local profile
    profile="$(mktemp -d)"
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" --window-size="$size" "$@" \
        --screenshot="$png" "$url" >/dev/null 2>"$profile.log" || {
        cat "$profile.log" >&2
        rm -rf "$profile" "$profile.log"
        exit 1
    }
    rm -rf "$profile" "$profile.log"
    echo "wrote $png" >&2
}

url="file://$report"
shoot "$out_dir/report.png" "$url" "$size"
# report.html#sN opens submission N's details (counting from 0). The window is tall, as headless
# Chromium's screenshots misplace the sticky header of a scrolled page.
shoot "$out_dir/report-details.png" "$url#s${DETAILS:-0}" "${DETAILS_WINDOW_SIZE:-1280,1600}"
shoot "$out_dir/report-dark.png" "$url" "$size" --force-dark-mode --blink-settings=preferredColorScheme=0
