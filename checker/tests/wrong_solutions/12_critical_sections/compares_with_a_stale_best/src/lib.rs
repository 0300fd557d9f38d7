//! A leaderboard that many threads update at once.
//!
//! Every function here takes the board as a `&Board`: a `Mutex` around a map from player to best
//! score. The slow part (scoring a replay) and the parts that may block (publishing, announcing)
//! are closures that the caller passes in, so the tests can check from inside them whether the
//! board is locked.

use std::collections::HashMap;
use std::sync::Mutex;

/// Each player's best score so far.
pub type Board = Mutex<HashMap<String, u64>>;

/// Scores `replay` with `score` and keeps the result as `player`'s best if it beats the score
/// already on the board. Returns the points that `score` gave.
///
/// `score` is slow (it replays a whole game), so it must run while the board is NOT locked:
/// other threads keep using the board in the meantime. Even so, a better score that another
/// submission recorded while `score` was running must never be replaced by a worse one.
pub fn submit(board: &Board, player: &str, replay: &str, score: impl FnOnce(&str) -> u64) -> u64 {
    // Look up the best so far, then score with the board unlocked.
    let old_best = board.lock().unwrap().get(player).copied().unwrap_or(0);
    let points = score(replay);
    if points > old_best {
        board.lock().unwrap().insert(player.to_string(), points);
    }
    points
}

/// Hands the `n` best entries to `publish`, highest score first (equal scores by name, A to Z).
///
/// `publish` may block for a long time (a slow network, a full channel), so it must run while
/// the board is NOT locked.
pub fn publish_top(board: &Board, n: usize, publish: impl FnOnce(Vec<(String, u64)>)) {
    // Copy what we need inside a block: the guard dies at its closing brace.
    let mut top: Vec<(String, u64)> = {
        let best = board.lock().unwrap();
        best.iter()
            .map(|(player, score)| (player.clone(), *score))
            .collect()
    };
    // Sorting a private copy needs no lock either.
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(n);
    publish(top);
}

/// Sends `player`'s best score through `send`, which may block. Does nothing if the player has
/// no score yet.
///
/// `send` must run while the board is NOT locked.
pub fn announce(board: &Board, player: &str, send: impl FnOnce(u64)) {
    // A temporary guard in a `let` statement is dropped at the end of that statement. In the
    // scrutinee of an `if let` or `match` it would live until the end of the whole block.
    let best = board.lock().unwrap().get(player).copied();
    if let Some(best) = best {
        send(best);
    }
}
