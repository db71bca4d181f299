//! Reading a PDF back in a test with poppler's tools (`pdftotext`,
//! `pdfinfo`, `pdffonts`, Debian `poppler-utils`): its words, its pages'
//! size, whether its fonts are embedded.

use std::process::Command;

/// Runs a poppler tool on `bytes` (written to a temporary file).
fn poppler(tool: &str, args: &[&str], bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("doithoai-{}.pdf", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) runs: {e}"));
    std::fs::remove_file(&path).unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Whitespace runs as one space: lines wrap differently in a PDF.
pub fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text, in the order it was laid out, whitespace squeezed, without
/// the page numbers at the top of pages 2 onwards (so a paragraph that
/// runs over a page reads whole).
pub fn words(bytes: &[u8]) -> String {
    let text = poppler("pdftotext", &["-raw", "-enc", "UTF-8"], bytes);
    let pages: Vec<String> = text
        .split('\u{c}')
        .enumerate()
        .map(|(i, page)| {
            let page = page.trim_start();
            match page.split_once('\n') {
                Some((first, rest)) if i > 0 && first.trim() == (i + 1).to_string() => {
                    rest.to_owned()
                }
                _ => page.to_owned(),
            }
        })
        .collect();
    squeezed(&pages.join(" "))
}

/// The number of pages, and whether every one is A4 portrait.
pub fn pages(bytes: &[u8]) -> (usize, bool) {
    let info = poppler("pdfinfo", &["-f", "1", "-l", "999"], bytes);
    let sizes: Vec<&str> = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .collect();
    let a4 = sizes
        .iter()
        .all(|l| l.contains("595.276 x 841.89 pts (A4)"));
    (sizes.len(), a4 && !sizes.is_empty())
}

/// The fonts the PDF uses, each `(name, embedded)`.
pub fn fonts(bytes: &[u8]) -> Vec<(String, bool)> {
    poppler("pdffonts", &[], bytes)
        .lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type… encoding emb sub uni object ID
            let emb = cols.len() >= 5 && cols[cols.len() - 5] == "yes";
            (cols.first().unwrap_or(&"").to_string(), emb)
        })
        .collect()
}
