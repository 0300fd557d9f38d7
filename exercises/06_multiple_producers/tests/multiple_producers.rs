use multiple_producers::gather;
use testkit::{STEP_LIMIT, within_or_explain};

const OPEN_SENDER_HINT: &str = "is the original `tx` still alive? The loop over `rx` ends only \
     when every Sender has been dropped: the sensor threads drop their clones when they finish, \
     but `gather` still holds the first one. Drop it before you start collecting.";

#[test]
fn every_reading_arrives_in_its_sensors_order() {
    // Four busy sensors and one that has nothing to say.
    let sensors: Vec<Vec<u64>> = (0..5u64)
        .map(|s| {
            if s == 3 {
                Vec::new()
            } else {
                (0..200).map(|i| s * 1_000 + i).collect()
            }
        })
        .collect();
    let expected = sensors.clone();

    let gathered = within_or_explain(
        STEP_LIMIT,
        "gather from 5 sensors",
        OPEN_SENDER_HINT,
        move || gather(sensors),
    );

    assert_eq!(
        gathered.len(),
        expected.len(),
        "expected one list per sensor, even for a sensor with no readings"
    );
    for (sensor, (got, want)) in gathered.iter().zip(&expected).enumerate() {
        assert!(
            !(got.len() < want.len() && want.starts_with(got)),
            "sensor {sensor} sent {} readings but only {} arrived: the collector stopped before \
             the channel closed. Keep receiving (`for reading in rx`) until every `Sender` is \
             gone; do not stop after a fixed number of readings or when the channel is \
             momentarily empty",
            want.len(),
            got.len()
        );
        assert_eq!(
            got, want,
            "sensor {sensor}'s readings are wrong: each sensor's values must arrive once each, \
             in the order that sensor sent them (use the reading's `sensor` field to file it)"
        );
    }
}

#[test]
fn the_collector_finishes_even_with_no_sensors() {
    let gathered = within_or_explain(
        STEP_LIMIT,
        "gather from no sensors at all",
        "with no sensor threads, the only Sender is the original `tx` in `gather`. If it is still \
         alive (or only moved into \"the last sensor thread\", which does not exist here), the loop \
         over `rx` waits forever. `drop(tx)` works for any number of sensors.",
        || gather(Vec::new()),
    );
    assert!(
        gathered.is_empty(),
        "with no sensors, expected an empty result, got {gathered:?}"
    );
}
