//! Builds the browser bundle into `target/site` without cargo-leptos:
//! compile the `app` crate to wasm, generate its JS bindings with the
//! wasm-bindgen library (the same version as the `wasm-bindgen` crate),
//! shrink it with wasm-opt, copy the CSS, give every file a content hash in
//! its name, write brotli and gzip copies, and a manifest the server reads.
//!
//! Usage: `cargo run -p xtask --release -- site`

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        // `site field` builds the field bundle alone: quicker, when measuring it.
        Some("site") => build_site(&root, args.get(1).map(String::as_str)),
        _ => Err("usage: cargo run -p xtask -- site [field|full]".into()),
    }
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status()?;
    if !status.success() {
        return Err(format!("command failed: {cmd:?}").into());
    }
    Ok(())
}

/// The two browser bundles: (file stem, `app` features). The field bundle
/// holds only the pages that work offline, so a tablet's first visit stays
/// small; the full one also holds the desktop screens (review, admin).
const BUNDLES: [(&str, &str); 2] = [("field", "field-bundle"), ("full", "hydrate")];

/// The issue's budget for the field bundle's wasm, brotli-compressed.
const FIELD_WASM_BUDGET: usize = 200_000;

fn build_site(root: &Path, only: Option<&str>) -> Result<()> {
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let work = target_dir.join("site-work");
    let _ = fs::remove_dir_all(&work);
    let site = target_dir.join("site");
    let pkg = site.join("pkg");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(&pkg)?;

    let mut stems = Vec::new();
    let mut all_bytes = Vec::new();
    for (name, features) in BUNDLES {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let (js, wasm) = build_bundle(root, &target_dir, &work.join(name), features)?;
        let stem = format!("{name}.{}", short_hash(&[&js, &wasm]));
        write_file(&pkg, &format!("{stem}.js"), &js)?;
        let wasm_brotli = write_file(&pkg, &format!("{stem}_bg.wasm"), &wasm)?;
        if name == "field" && wasm_brotli > FIELD_WASM_BUDGET {
            eprintln!(
                "[xtask] WARNING: the field wasm is {wasm_brotli} B brotli, over its budget of {FIELD_WASM_BUDGET} B"
            );
        }
        all_bytes.push(js);
        all_bytes.push(wasm);
        stems.push(stem);
    }
    let mut css = fs::read_to_string(root.join("style/main.css"))?;
    let mut later = Vec::new();
    for (source, hashed) in web_fonts(root, &pkg)? {
        // `url(fonts/x.woff2)` in the source; `/pkg/x.<hash>.woff2` beside the CSS.
        css = css.replace(&format!("url({source})"), &format!("url({hashed})"));
        later.push(format!("/pkg/{hashed}"));
    }
    let css = css.into_bytes();
    let css_name = format!("style.{}.css", short_hash(&[&css]));
    write_file(&pkg, &css_name, &css)?;
    all_bytes.push(css);

    if only.is_some() {
        eprintln!("[xtask] one bundle built, for measuring: no site manifest");
        return Ok(());
    }
    let parts: Vec<&[u8]> = all_bytes.iter().map(Vec::as_slice).collect();
    let (field, full) = (&stems[0], &stems[1]);
    // The print view works offline with the full bundle: kept after the
    // first visit, not in it.
    later.extend([format!("/pkg/{full}.js"), format!("/pkg/{full}_bg.wasm")]);
    let manifest = serde_json::json!({
        "version": short_hash(&parts),
        "field_bundle": field,
        "full_bundle": full,
        "css": format!("/pkg/{css_name}"),
        "files": [
            format!("/pkg/{field}.js"),
            format!("/pkg/{field}_bg.wasm"),
            format!("/pkg/{css_name}"),
        ],
        "later": later,
    });
    fs::write(
        site.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    eprintln!("[xtask] site ready in {}", site.display());
    Ok(())
}

/// Copies the print view's fonts (`style/fonts/*.woff2`, made by
/// `scripts/subset_print_font.sh`) into `pkg` with hashed names. Returns
/// (the CSS's relative URL, the hashed name) of each. Already compressed:
/// no brotli copy.
fn web_fonts(root: &Path, pkg: &Path) -> Result<Vec<(String, String)>> {
    let mut fonts = Vec::new();
    let mut entries: Vec<_> =
        fs::read_dir(root.join("style/fonts"))?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".woff2") else {
            continue;
        };
        let bytes = fs::read(entry.path())?;
        let hashed = format!("{stem}.{}.woff2", short_hash(&[&bytes]));
        fs::write(pkg.join(&hashed), &bytes)?;
        eprintln!("[xtask] {hashed}: {} B", bytes.len());
        fonts.push((format!("fonts/{name}"), hashed));
    }
    Ok(fonts)
}

/// Compiles `app` with `features` to wasm, generates its JS bindings and
/// shrinks the wasm. Returns (JS, wasm).
fn build_bundle(
    root: &Path,
    target_dir: &Path,
    work: &Path,
    features: &str,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let profile = "wasm-release";
    eprintln!("[xtask] compiling app to wasm ({profile}, features {features})");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args([
                "build",
                "-p",
                "app",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
                "--no-default-features",
                "--features",
                features,
                "--profile",
                profile,
            ]),
    )?;
    let wasm_in = target_dir
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("app.wasm");

    fs::create_dir_all(work)?;
    eprintln!("[xtask] generating bindings");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm_in)
        .out_name("app")
        .web(true)?
        .typescript(false)
        .omit_default_module_path(true)
        .generate(work)?;

    let wasm = work.join("app_bg.wasm");
    let wasm_opt = root.join("tools/node_modules/.bin/wasm-opt");
    if wasm_opt.exists() {
        eprintln!("[xtask] wasm-opt --dae-optimizing -O1 --converge --strip-producers");
        let optimised = work.join("app_opt.wasm");
        // Kept for measuring other optimiser settings by hand.
        fs::copy(&wasm, work.join("app_unoptimised.wasm"))?;
        // Optimised for the bytes a tablet downloads, not for the module's
        // raw size: -O1 leaves code that brotli compresses better. Measured
        // on the field bundle (BENCHMARKS.md): -Oz 710 KB raw, 205.3 KB
        // brotli; -O1 --converge 810 KB raw, 194.6 KB brotli; dropping
        // unused arguments first (--dae-optimizing) saves 1.4 KB more.
        run(Command::new(&wasm_opt)
            .args(["--dae-optimizing", "-O1", "--converge", "--strip-producers"])
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg(&wasm)
            .arg("-o")
            .arg(&optimised))?;
        fs::rename(&optimised, &wasm)?;
    } else {
        eprintln!(
            "[xtask] warning: {} missing (run scripts/setup.sh): wasm left unoptimised",
            wasm_opt.display()
        );
    }
    Ok((fs::read(work.join("app.js"))?, fs::read(&wasm)?))
}

/// Writes `bytes` to `dir/name` with brotli and gzip copies beside it.
/// Returns the brotli size.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<usize> {
    let brotli = write_with_compressed(&dir.join(name), bytes)?;
    eprintln!("[xtask] {name}: {} B, {brotli} B brotli", bytes.len());
    Ok(brotli)
}

fn short_hash(parts: &[&[u8]]) -> String {
    // SipHash with fixed keys: stable for the same bytes, enough to bust caches.
    let mut hasher = DefaultHasher::new();
    for p in parts {
        p.hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

fn write_with_compressed(path: &Path, bytes: &[u8]) -> Result<usize> {
    fs::write(path, bytes)?;
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    let br_len = br.len();
    fs::write(with_suffix(path, "br"), br)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    fs::write(with_suffix(path, "gz"), gz.finish()?)?;
    Ok(br_len)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
