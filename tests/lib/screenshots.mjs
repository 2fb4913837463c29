// Screenshot checks of the embedded meeting: nothing the WebComponent draws
// may land outside #meeting-container. Two screenshots of the page with the
// meeting area masked, one with the component shown and one with it
// hidden, must agree everywhere: pixel by pixel, allowing the anti-aliasing
// of rounded corners to move by a few levels when the compositor regroups
// layers (a drawn element differs by far more).
const TOLERANCE = 24; // per colour channel, of 255

/** Screenshots of page outside #meeting-container, with and without the component. */
export async function outsideMeetingArea(page) {
  const options = { mask: [page.locator('#meeting-container')], animations: 'disabled', caret: 'hide' };
  const component = page.locator('#meeting-container openvidu-meet');
  const shown = await page.screenshot(options);
  await component.evaluate((element) => { element.style.visibility = 'hidden'; });
  const hidden = await page.screenshot(options);
  await component.evaluate((element) => { element.style.visibility = ''; });
  return { shown, hidden };
}

/** How many pixels of two same-sized PNGs differ by more than TOLERANCE, decoded by the browser. */
export async function differingPixels(browser, first, second) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async ([a, b, tolerance]) => {
      const pixels = async (base64) => {
        const image = new Image();
        image.src = `data:image/png;base64,${base64}`;
        await image.decode();
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
      };
      const [x, y] = [await pixels(a), await pixels(b)];
      if (x.length !== y.length) return Infinity;
      let count = 0;
      for (let i = 0; i < x.length; i += 4) {
        if (Math.abs(x[i] - y[i]) > tolerance || Math.abs(x[i + 1] - y[i + 1]) > tolerance
          || Math.abs(x[i + 2] - y[i + 2]) > tolerance) count++;
      }
      return count;
    }, [first.toString('base64'), second.toString('base64'), TOLERANCE]);
  } finally {
    await page.close();
  }
}

/** Fails when the component drew anything outside the meeting area. */
export async function assertNothingOutsideMeetingArea(page, what) {
  const { shown, hidden } = await outsideMeetingArea(page);
  const count = await differingPixels(page.context().browser(), shown, hidden);
  if (count !== 0) throw new Error(`${what}: the component drew ${count} pixels outside the meeting area`);
}
