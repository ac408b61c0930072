//! Writes every representative table (`dynaplay_design::samples`) in every format into a
//! directory, for CI's validation stage (`scripts/validate-design.sh`): `cfn-lint` reads the
//! templates, `tsc` compiles the CDK apps, and the S3 exports and Workbench models are checked
//! by Python's own readers.
//!
//! `cargo run -p dynaplay-design --example export_samples -- OUT_DIR`

use dynaplay_design::workbench::export::{model, ModelTable};
use dynaplay_design::{s3_export, samples, zip, Format};
use dynaplay_engine::Engine;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: export_samples OUT_DIR");
        std::process::exit(2);
    };
    let out = std::path::PathBuf::from(out);
    let write = |name: String, bytes: &[u8]| {
        std::fs::write(out.join(&name), bytes).unwrap_or_else(|e| panic!("writing {name}: {e}"));
    };
    std::fs::create_dir_all(&out).expect("the output directory");
    let mut engine = Engine::new();
    samples::build(&mut engine).expect("the sample tables");
    let now_ms = 1_767_225_600_000;
    for sample in samples::all() {
        let design = samples::describe(&mut engine, sample.table).expect("a sample's design");
        for format in Format::ALL {
            write(format.file_name(&design.name), format.generate(&design).as_bytes());
        }
        let workbench = model(&design.name, &[ModelTable { design: &design, items: &sample.items }], now_ms);
        write(format!("{}.workbench.json", design.name), workbench.text.as_bytes());
        let described =
            engine.handle_json("DescribeTable", serde_json::json!({"TableName": sample.table})).unwrap();
        let target = s3_export::ExportTarget {
            bucket: "example-bucket".into(),
            prefix: "exports/dynaplay".into(),
            table_arn: described["Table"]["TableArn"].as_str().unwrap_or_default().into(),
            table_id: described["Table"]["TableId"].as_str().unwrap_or_default().into(),
            table_size_bytes: described["Table"]["TableSizeBytes"].as_u64().unwrap_or(0),
            now_ms,
        };
        let files = s3_export::files(&target, &sample.items);
        write(
            format!("{}.s3-export.zip", design.name),
            &zip::archive(&files, now_ms).expect("a small archive"),
        );
        // The items the export must hold, for the checker to compare.
        let items: Vec<String> = sample.items.iter().map(|i| i.to_string()).collect();
        write(format!("{}.items.jsonl", design.name), items.join("\n").as_bytes());
    }
    println!("wrote the sample exports to {}", out.display());
}
