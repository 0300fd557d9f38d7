//! Several sensor threads report readings over one channel to a single collector.
//!
//! Each sensor thread gets its own clone of the channel's `Sender`; the collector reads the
//! `Receiver` until the channel closes. A channel closes when its last `Sender` is dropped.

use std::sync::mpsc;
use std::thread;

/// One message on the channel: which sensor measured what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The index of the sensor in the list given to [`gather`].
    pub sensor: usize,
    /// The value it measured.
    pub value: u64,
}

/// Starts one thread per sensor. Sensor `i` sends every value of `sensors[i]`, in order, as a
/// [`Reading`] over a shared channel; this function collects the readings until the channel
/// closes, joins the sensor threads and returns the values grouped by sensor.
///
/// The tests expect:
/// - the result has one list per sensor (an empty list for a sensor with no readings);
/// - each list holds that sensor's values in the order the sensor sent them;
/// - with no sensors at all, the result is empty;
/// - the function returns as soon as every sensor has finished.
pub fn gather(sensors: Vec<Vec<u64>>) -> Vec<Vec<u64>> {
    let (tx, rx) = mpsc::channel::<Reading>();

    let mut handles = Vec::with_capacity(sensors.len());
    let mut per_sensor = vec![Vec::new(); sensors.len()];

    for (sensor, values) in sensors.into_iter().enumerate() {
        // Every sensor gets a Sender of its own.
        let tx = tx.clone();
        handles.push(thread::spawn(move || {
            for value in values {
                tx.send(Reading { sensor, value })
                    .expect("the collector hung up early");
            }
            // This thread's `tx` is dropped here, when the closure ends.
        }));
    }

    for reading in rx {
        per_sensor[reading.sensor].push(reading.value);
    }

    for handle in handles {
        handle.join().expect("a sensor thread panicked");
    }
    per_sensor
}
