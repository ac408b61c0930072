use dynaplay_engine::Engine;
use std::time::Instant;
fn main() {
    let mut engine = Engine::new();
    engine.handle("CreateTable", br#"{"TableName":"Bench","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST"}"#).unwrap();
    engine.handle("PlaygroundUpdateSettings", br#"{"ThrottlingEnabled":false}"#).unwrap();
    let n = 20000;
    let bodies: Vec<String> = (0..n).map(|i| format!(r#"{{"TableName":"Bench","Item":{{"pk":{{"S":"user#{i}"}},"name":{{"S":"Name {i}"}},"age":{{"N":"{}"}}}}}}"#, i % 90)).collect();
    for round in 0..2 {
        let t = Instant::now();
        for b in &bodies {
            engine.handle_logged("PutItem", b.as_bytes()).0.unwrap();
        }
        println!("round {round}: {:.0} puts/s", n as f64 / t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    for i in 0..n {
        engine
            .handle_text(
                "GetItem",
                format!(r#"{{"TableName":"Bench","Key":{{"pk":{{"S":"user#{i}"}}}}}}"#).as_bytes(),
            )
            .unwrap();
    }
    println!("gets: {:.0}/s", n as f64 / t.elapsed().as_secs_f64());
}
