use std::collections::HashMap;
use std::sync::{Arc, Mutex, TryLockError, mpsc};
use std::thread;

use critical_sections::{Board, announce, publish_top, submit};
use testkit::{STEP_LIMIT, within, within_or_explain};

fn board_with(entries: &[(&str, u64)]) -> Board {
    Mutex::new(
        entries
            .iter()
            .map(|(player, score)| (player.to_string(), *score))
            .collect(),
    )
}

/// Whether nobody holds the board right now. The callbacks below call it while they run.
fn is_free(board: &Board) -> bool {
    !matches!(board.try_lock(), Err(TryLockError::WouldBlock))
}

fn best_of(board: &Board, player: &str) -> Option<u64> {
    board.lock().unwrap().get(player).copied()
}

#[test]
fn scoring_runs_while_the_board_is_unlocked() {
    within(STEP_LIMIT, "submit", || {
        let board = board_with(&[("ada", 10)]);
        let mut free_while_scoring = None;
        let points = submit(&board, "ada", "replay-1", |replay| {
            free_while_scoring = Some(is_free(&board));
            assert_eq!(replay, "replay-1", "`score` was given the wrong replay");
            42
        });
        let free = free_while_scoring.expect("`submit` never called `score`");
        assert!(
            free,
            "`score` ran while the board was locked, so every other thread had to wait for the \
             slow scoring. Call `score` before you lock the board."
        );
        assert_eq!(
            points, 42,
            "`submit` must return the points that `score` gave"
        );
        assert_eq!(
            best_of(&board, "ada"),
            Some(42),
            "ada scored 42 (her old best was 10), so the board should now say 42"
        );
    });
}

#[test]
fn a_better_score_recorded_during_scoring_is_kept() {
    within(STEP_LIMIT, "two overlapping submits", || {
        let board = board_with(&[]);
        let mut free_while_scoring = None;
        submit(&board, "bo", "slow replay", |_| {
            free_while_scoring = Some(is_free(&board));
            if free_while_scoring == Some(true) {
                // Another submission for bo starts and finishes while this one is still scoring.
                submit(&board, "bo", "quick replay", |_| 90);
            }
            50
        });
        let free = free_while_scoring.expect("`submit` never called `score`");
        assert!(
            free,
            "`score` ran while the board was locked: call `score` before you lock the board"
        );
        assert_eq!(
            best_of(&board, "bo"),
            Some(90),
            "a better score, recorded while `score` ran, was overwritten: after scoring, compare \
             with the best that is on the board NOW, under the same lock as the write (bo's best \
             is 90, recorded while his 50 was still being scored)"
        );
    });
}

#[test]
fn publishing_runs_while_the_board_is_unlocked() {
    within(STEP_LIMIT, "publish_top", || {
        let board = board_with(&[("ada", 30), ("bo", 50), ("cy", 30), ("di", 10)]);
        let mut seen = None;
        publish_top(&board, 3, |top| seen = Some((is_free(&board), top)));
        let (free, top) = seen.expect("`publish_top` never called `publish`");
        assert!(
            free,
            "`publish` ran while the board was locked. A guard lives until the end of its \
             scope: end the scope (or `drop` the guard) before you call `publish`."
        );
        let expected = vec![
            ("bo".to_string(), 50),
            ("ada".to_string(), 30),
            ("cy".to_string(), 30),
        ];
        assert_eq!(
            top, expected,
            "`publish` got the wrong top 3: highest score first, equal scores by name"
        );
    });
}

#[test]
fn announcing_runs_while_the_board_is_unlocked() {
    within(STEP_LIMIT, "announce", || {
        let board = board_with(&[("ada", 30)]);
        let mut seen = None;
        announce(&board, "ada", |best| seen = Some((is_free(&board), best)));
        let (free, best) = seen.expect("`announce` never called `send` for a player with a score");
        assert!(
            free,
            "`send` ran while the board was locked. The guard that `lock()` returns is a \
             temporary of the `if let` (or `match`) line, and such a temporary lives until the \
             end of the whole block. Copy the score out in a `let` statement of its own first."
        );
        assert_eq!(best, 30, "`send` must get the player's best score");

        let mut called = false;
        announce(&board, "nobody", |_| called = true);
        assert!(
            !called,
            "`announce` called `send` for a player with no score"
        );
    });
}

#[test]
fn a_blocked_publisher_does_not_stall_the_board() {
    within_or_explain(
        STEP_LIMIT,
        "publish_top to a listener that updates the board before it reads",
        "the board was still locked while `publish` blocked: `publish` waited for the \
         listener, and the listener for the board. Is a guard still alive while `publish` runs?",
        || {
            let board = Arc::new(board_with(&[("ada", 10)]));
            let (go_tx, go_rx) = mpsc::channel::<()>();
            // A rendezvous channel: a send blocks until the listener receives.
            let (top_tx, top_rx) = mpsc::sync_channel::<Vec<(String, u64)>>(0);

            let listener_board = Arc::clone(&board);
            let listener = thread::spawn(move || {
                go_rx.recv().expect("the publisher never said go");
                // The listener needs the board before it gets round to reading the channel.
                submit(&listener_board, "bo", "replay", |_| 20);
                top_rx
                    .recv()
                    .expect("the publisher hung up without sending")
            });

            publish_top(&board, 5, |top| {
                go_tx.send(()).expect("the listener is gone");
                top_tx.send(top).expect("the listener hung up");
            });
            let received = listener.join().expect("the listener thread panicked");

            assert_eq!(
                received,
                vec![("ada".to_string(), 10)],
                "the listener got the wrong top list"
            );
            assert_eq!(
                best_of(&board, "bo"),
                Some(20),
                "the listener's score for bo is missing"
            );
        },
    );
}

#[test]
fn many_threads_keep_every_players_best() {
    const PLAYERS: [&str; 3] = ["ada", "bo", "cy"];
    fn points(thread: u64, round: u64) -> u64 {
        (thread * 37 + round * 101) % 1000
    }

    within(STEP_LIMIT, "8 threads submitting", || {
        let board = Arc::new(board_with(&[]));
        let handles: Vec<_> = (0..8u64)
            .map(|t| {
                let board = Arc::clone(&board);
                thread::spawn(move || {
                    for round in 0..60u64 {
                        let player = PLAYERS[(round % 3) as usize];
                        submit(&board, player, "replay", |_| points(t, round));
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("a submitting thread panicked");
        }

        let mut expected: HashMap<String, u64> = HashMap::new();
        for t in 0..8u64 {
            for round in 0..60u64 {
                let best = expected
                    .entry(PLAYERS[(round % 3) as usize].to_string())
                    .or_insert(0);
                *best = (*best).max(points(t, round));
            }
        }
        let actual = board.lock().unwrap().clone();
        assert_eq!(
            actual, expected,
            "after 8 threads submitted 60 scores each, some player's best is wrong: \
             is an update lost when two submissions overlap?"
        );
    });
}
