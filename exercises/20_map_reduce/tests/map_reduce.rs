use map_reduce::{Frequencies, count_parallel, count_sequential};
use std::any::Any;
use std::panic;
use std::sync::OnceLock;
use testkit::{STEP_LIMIT, within};

/// A large text that is the same on every run: 3,000 lines drawn by a fixed pseudo-random
/// sequence from a small vocabulary (so every word occurs on many lines), with mixed case,
/// punctuation, non-ASCII letters and some empty lines.
fn large_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        const VOCABULARY: [&str; 24] = [
            "the",
            "The",
            "THE",
            "river",
            "River,",
            "stone",
            "stones.",
            "a",
            "A",
            "of",
            "don't",
            "it's",
            "über",
            "Straße",
            "naïve",
            "café",
            "CAFÉ!",
            "x86_64",
            "42",
            "(north)",
            "south;",
            "east-west",
            "Zürich",
            "end.",
        ];
        const SEPARATORS: [&str; 4] = [" ", "  ", ", ", " - "];
        // A linear congruential generator: tiny, fixed, and good enough to mix the words.
        let mut state: u64 = 0x5EED_C0FF_EE00;
        let mut next = move |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % below as u64) as usize
        };
        let mut text = String::new();
        for _ in 0..3_000 {
            let words_on_line = next(15); // 0..=14: some lines are empty
            for i in 0..words_on_line {
                if i > 0 {
                    text.push_str(SEPARATORS[next(SEPARATORS.len())]);
                }
                text.push_str(VOCABULARY[next(VOCABULARY.len())]);
            }
            text.push('\n');
        }
        text
    })
}

/// The sequential count of [`large_text`], computed once for all tests.
fn large_expected() -> &'static Frequencies {
    static EXPECTED: OnceLock<Frequencies> = OnceLock::new();
    EXPECTED.get_or_init(|| count_sequential(large_text()))
}

/// Runs `count_parallel` under a time limit, on a copy of `text`. A panic inside it becomes a
/// failure that says what was being counted.
fn parallel(text: &str, workers: usize) -> Frequencies {
    // Not while `pieces_in_parallel` watches `words`: see `crate::one_at_a_time`.
    let _turn = crate::one_at_a_time();
    let owned = text.to_owned();
    let outcome = within(
        STEP_LIMIT,
        &format!("count with {workers} worker(s)"),
        move || panic::catch_unwind(|| count_parallel(&owned, workers)).map_err(describe),
    );
    outcome.unwrap_or_else(|message| {
        let lines = text.lines().count();
        panic!(
            "count_parallel(text with {lines} line(s), {workers}) panicked: {message}\n\
             Does every number of workers work, also more workers than lines, or no lines at \
             all? A piece size of 0 makes `chunks` panic."
        )
    })
}

fn describe(payload: Box<dyn Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

/// Explains the first few differences between two counts, or returns `None` if they are equal.
/// The first line names the kind of mistake that such a difference comes from.
fn differences(expected: &Frequencies, got: &Frequencies) -> Option<String> {
    let mut words: Vec<&String> = expected.keys().chain(got.keys()).collect();
    words.sort();
    words.dedup();
    let differing: Vec<&String> = words
        .into_iter()
        .filter(|word| expected.get(*word) != got.get(*word))
        .collect();
    if differing.is_empty() {
        return None;
    }
    let expected_of = |word: &String| expected.get(word).copied().unwrap_or(0);
    let got_of = |word: &String| got.get(word).copied().unwrap_or(0);
    let strangers = differing.iter().filter(|w| expected_of(w) == 0).count();
    let missing = differing.iter().filter(|w| got_of(w) == 0).count();
    let too_many = differing
        .iter()
        .filter(|w| got_of(w) > expected_of(w))
        .count();
    // A word that is not in the text but is part of one that is: a word cut in two.
    let fragments = differing
        .iter()
        .filter(|w| expected_of(w) == 0)
        .filter(|w| {
            expected
                .keys()
                .any(|whole| whole.len() > w.len() && whole.contains(**w))
        })
        .count();
    let kind = if strangers > 0 && fragments == strangers {
        "pieces of words that are not in the text were counted, so a word was cut in two: cut \
         the text only at line breaks (a word never spans two lines), never inside a line"
    } else if strangers > 0 {
        "words that do not follow the rules of `words` were counted: count with `count_into` \
         (or `words`), not with a splitting rule of your own"
    } else if too_many > 0 {
        "some words were counted too often: a line was counted twice, so pieces overlap"
    } else if missing > 0 {
        "some words were not counted at all: some lines were never counted"
    } else {
        "counts of words that occur in several pieces were replaced, not added: the reduce step \
         must ADD each partial count to the total (`HashMap::extend` keeps only the last \
         piece's count of a word)"
    };
    let lines: Vec<String> = differing
        .iter()
        .map(|word| {
            format!(
                "  {word:?}: expected {}, got {}",
                expected_of(word),
                got_of(word)
            )
        })
        .collect();
    let shown = lines.len().min(5);
    Some(format!(
        "{kind}.\n{} word(s) differ, for example:\n{}",
        lines.len(),
        lines[..shown].join("\n")
    ))
}

fn assert_matches_sequential(text: &str, workers: usize, advice: &str) {
    let expected = if text == large_text() {
        large_expected().clone()
    } else {
        count_sequential(text)
    };
    let got = parallel(text, workers);
    if let Some(diff) = differences(&expected, &got) {
        panic!("with {workers} worker(s) {diff}\n{advice}");
    }
}

const MERGE_ADVICE: &str = "Most words occur in every piece, so the reduce step must ADD each \
     partial count to the total. `HashMap::extend` replaces the count of a word that is already \
     there.";

#[test]
fn a_single_worker_matches_the_sequential_count() {
    assert_matches_sequential(
        large_text(),
        1,
        "One worker gets the whole text as one piece.",
    );
}

#[test]
fn several_workers_match_the_sequential_count() {
    for workers in [2, 3, 8] {
        assert_matches_sequential(large_text(), workers, MERGE_ADVICE);
    }
}

#[test]
fn more_workers_than_lines_still_match() {
    let short = "The river, the stone.\nA stone of the river\nTHE END";
    for workers in [4, 5, 64] {
        assert_matches_sequential(
            short,
            workers,
            "With more workers than lines, some workers get nothing to do (or are never started); \
             every line must still be counted exactly once.",
        );
    }
}

#[test]
fn empty_input_counts_no_words() {
    for text in ["", "\n\n\n", "  ,;  -- !\n...\n"] {
        for workers in [1, 2, 5] {
            let got = parallel(text, workers);
            assert!(
                got.is_empty(),
                "a text with no words ({text:?}) counted with {workers} worker(s) gave {got:?}, \
                 expected an empty map. Is a piece size of 0 possible when there are no lines?"
            );
        }
    }
}

#[test]
fn words_are_normalised_as_documented() {
    let text = "The cat, the CAT!\nDon't stop: the end.\nCafé CAFÉ café x86_64";
    let expected: Frequencies = [
        ("the", 3),
        ("cat", 2),
        ("don", 1),
        ("t", 1),
        ("stop", 1),
        ("end", 1),
        ("café", 3),
        ("x86", 1),
        ("64", 1),
    ]
    .into_iter()
    .map(|(word, count)| (word.to_string(), count))
    .collect();
    for workers in [1, 3] {
        let got = parallel(text, workers);
        if let Some(diff) = differences(&expected, &got) {
            panic!(
                "with {workers} worker(s) {diff}\nWords are runs of alphanumeric characters, \
                 lowercased (see `words` in src/words.rs): count with `count_into` or `words`, \
                 not with a splitting rule of your own."
            );
        }
    }
}
