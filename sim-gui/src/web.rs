//! The app in a web page (wasm32): the page's script loads the module and `start` draws the app
//! on the canvas `procsim`. Files come in by upload (Browse…) or drag-and-drop, exports leave as
//! downloads, and the page title tells what plays (the browser test reads it): `browser` has
//! those calls.

use crate::ProcsimApp;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Below this window width (CSS pixels) the page opens in projector mode.
const PROJECTOR_BELOW: f64 = 1400.0;

/// Starts the app on the page's canvas.
#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(canvas) = document
            .get_element_by_id("procsim")
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        let mut app = ProcsimApp::new();
        // A link opens its scenario (`?scenario=` a built-in one, `#yaml=` any).
        let (query, fragment) = crate::browser::query_and_fragment();
        match crate::link::parse(&query, &fragment) {
            Ok(Some(target)) => app.open_link(target),
            Ok(None) => {}
            Err(error) => app.view.status = Some(error),
        }
        // A small screen is most likely a projector's: projector mode from the start.
        app.view.projector = crate::browser::window_width() < PROJECTOR_BELOW;
        if let Some(playback) = &mut app.playback {
            playback.playing = true;
        }
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(|_creation| Ok(Box::new(app))),
            )
            .await;
        if let Err(error) = started {
            web_sys::console::error_1(&error);
        }
    });
}
