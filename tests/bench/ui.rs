//! `make bench` only (ignored in `make test`): the real window over a repository of 10,000
//! images (BENCH_REPO): the time from the first page of data to the first rows on screen, and
//! frame times while scrolling through all of it. Prints one JSON line and writes
//! target/bench/ui.json.

use std::time::Duration;

use anyhow::{Context, Result};
use berth_tests::{root, App};

#[tokio::test]
#[ignore = "a benchmark: make bench runs it"]
async fn bench_ui_list_and_scroll() -> Result<()> {
    let repo = std::env::var("BENCH_REPO").unwrap_or_else(|_| "bench/many".into());
    App::run(|app| async move {
        let outcome = async {
            // Flinging through 10,000 rows under Xvfb takes longer than WebDriver's default 30 s.
            app.driver
                .update_timeouts(thirtyfour::TimeoutConfiguration::new(Some(Duration::from_secs(300)), None, None))
                .await?;
            let item = format!("[data-testid=repo-item][data-name='{repo}']");
            let element = app.wait_for_all(&item, 1, Duration::from_secs(30)).await?.remove(0);
            // Watch for the first row, then wait for the frame that shows it.
            app.driver
                .execute(
                    r#"window.__bench = {};
                    new MutationObserver((_, obs) => {
                      if (document.querySelector('[data-testid=image-row]')) {
                        obs.disconnect();
                        requestAnimationFrame(() => requestAnimationFrame(() => { window.__bench.painted = performance.now(); }));
                      }
                    }).observe(document.body, {childList: true, subtree: true});"#,
                    vec![],
                )
                .await?;
            element.click().await?;
            app.wait_for_text("[data-testid=images-status]", "10,000 images", Duration::from_secs(120)).await?;
            // The paint is recorded two frames after the rows appear: wait for it.
            let first = app
                .driver
                .execute_async(
                    r#"const done = arguments[arguments.length - 1];
                    const t0 = performance.now();
                    (function check() {
                      const m = performance.getEntriesByName('berth:images-first-page').pop();
                      if ((m && window.__bench.painted) || performance.now() - t0 > 10000) {
                        done({data: m ? m.startTime : null, painted: window.__bench.painted ?? null});
                      } else requestAnimationFrame(check);
                    })();"#,
                    vec![],
                )
                .await?
                .json()
                .clone();
            // Frame durations: idle (this machine's floor under Xvfb), scrolling by a wheel step
            // (100 px a frame) for 300 frames, and flinging through all 10,000 rows (a screenful a frame).
            let script = r#"const done = arguments[arguments.length - 1];
                const step = arguments[0], limit = arguments[1], selector = arguments[2];
                const s = document.querySelector(selector);
                const times = []; let last = performance.now();
                function frame() {
                  const now = performance.now(); times.push(now - last); last = now;
                  if ((step !== 0 && s.scrollTop + s.clientHeight >= s.scrollHeight - 1) || times.length > limit) { done(times.slice(1)); return; }
                  s.scrollTop += step < 0 ? s.clientHeight : step;
                  requestAnimationFrame(frame);
                }
                requestAnimationFrame(frame);"#;
            let run = |step: i64, limit: i64, selector: &'static str| {
                let driver = app.driver.clone();
                async move {
                    let args = vec![serde_json::json!(step), serde_json::json!(limit), serde_json::json!(selector)];
                    let v = driver.execute_async(script, args).await?.json().clone();
                    let mut f: Vec<f64> = v.as_array().context("frames")?.iter().filter_map(|v| v.as_f64()).collect();
                    f.sort_by(|a, b| a.partial_cmp(b).unwrap());
                    anyhow::Ok(f)
                }
            };
            const TABLE: &str = "[data-testid=images-table] .body > div";
            let idle = run(0, 120, TABLE).await?;
            let wheel = run(100, 300, TABLE).await?;
            app.driver.execute(&format!("document.querySelector('{TABLE}').scrollTop = 0;"), vec![]).await?;
            let f = run(-1, 2000, TABLE).await?;
            // The floor: the same rows (copies of the ones on screen, same markup and styles) as a
            // static list of 3,000 in a box of the same size over the table — no virtualization,
            // no script while scrolling: what this WebKit under Xvfb takes to scroll such rows at all.
            app.driver
                .execute(
                    r#"const body = document.querySelector('[data-testid=images-table] .body > div');
                    const rows = [...document.querySelectorAll('[data-testid=image-row]')].map((r) => r.outerHTML);
                    const r = body.getBoundingClientRect();
                    const floor = document.createElement('div');
                    floor.id = 'bench-floor';
                    floor.style.cssText = `position: fixed; left: ${r.left}px; top: ${r.top}px; width: ${r.width}px; height: ${r.height}px; overflow: auto; background: var(--bg); z-index: 1000;`;
                    floor.innerHTML = Array.from({length: 3000}, (_, i) => rows[i % rows.length]).join('');
                    document.body.appendChild(floor);"#,
                    vec![],
                )
                .await?;
            let floor_wheel = run(100, 300, "#bench-floor").await?;
            app.driver.execute("document.querySelector('#bench-floor').scrollTop = 0;", vec![]).await?;
            let floor_fling = run(-1, 300, "#bench-floor").await?;
            app.driver.execute("document.querySelector('#bench-floor').remove();", vec![]).await?;
            let pct = |f: &[f64], p: f64| f.get(((f.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
            let data = first["data"].as_f64().context("no first-page mark")?;
            let painted = first["painted"].as_f64().context("no first rows seen")?;
            let result = serde_json::json!({
                "rows": 10000,
                "data_to_first_rows_ms": painted - data,
                "idle_frame_ms_p50": pct(&idle, 0.5),
                "wheel_frames": wheel.len(), "wheel_frame_ms_p50": pct(&wheel, 0.5), "wheel_frame_ms_p95": pct(&wheel, 0.95),
                "fling_frames": f.len(), "fling_frame_ms_p50": pct(&f, 0.5), "fling_frame_ms_p95": pct(&f, 0.95),
                "fling_frame_ms_max": f.last().copied().unwrap_or(0.0),
                "static_list_wheel_frame_ms_p50": pct(&floor_wheel, 0.5),
                "static_list_wheel_frame_ms_p95": pct(&floor_wheel, 0.95),
                "static_list_fling_frame_ms_p50": pct(&floor_fling, 0.5),
                "wheel_ratio_to_static_list": pct(&wheel, 0.5) / pct(&floor_wheel, 0.5),
                "fling_ratio_to_static_list": pct(&f, 0.5) / pct(&floor_fling, 0.5),
            });
            println!("UI-BENCH {result}");
            std::fs::create_dir_all(root().join("target/bench"))?;
            std::fs::write(root().join("target/bench/ui.json"), serde_json::to_string_pretty(&result)?)?;
            app.screenshot("90-bench-10000-images").await?;
            Ok(())
        }
        .await;
        (app, outcome)
    })
    .await
}
