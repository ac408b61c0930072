//! Scratch: runs a JSON list of steps from a file and prints each exchange (not committed).
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read(path).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
    let steps = dynaplay_teach::script::steps_from_json(&v, "steps").unwrap();
    let mut engine = dynaplay_engine::Engine::new();
    for e in dynaplay_teach::script::run(&mut engine, &steps) {
        let mut s = e.to_json().to_string();
        if s.len() > 1500 {
            s.truncate(1500);
        }
        println!("{s}\n");
    }
}
