// The rows above are in the document: mark the frame that shows them, as Berth marks its first
// rows (ui/src/main.ts).
requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('berth:first-rows')));
