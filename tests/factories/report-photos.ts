import sharp from "sharp";

/**
 * Test photos for reports (issue 17): a JPEG as a phone writes it — with the camera's make and a
 * GPS position in its EXIF — so tests can prove the stored copy carries neither.
 */
export async function phoneJpeg(opts: { latitude?: number; longitude?: number; width?: number } = {}) {
  const lat = opts.latitude ?? 34.225;
  const lng = opts.longitude ?? 135.1667;
  const dms = (v: number) => {
    const d = Math.floor(v);
    const m = Math.floor((v - d) * 60);
    const s = Math.round(((v - d) * 60 - m) * 60 * 100);
    return `${d}/1 ${m}/1 ${s}/100`;
  };
  return sharp({ create: { width: opts.width ?? 2400, height: 1800, channels: 3, background: "#7a6a55" } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: "TestPhone", Model: "Reporter 1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: dms(lat), GPSLongitudeRef: "E", GPSLongitude: dms(lng) },
    })
    .toBuffer();
}

/** A valid JPEG header followed by random bytes: a file that is far too large to be a report photo. */
export function hugeJpeg(bytes: number): Buffer {
  const b = Buffer.alloc(bytes, 0x5a);
  b[0] = 0xff;
  b[1] = 0xd8;
  b[2] = 0xff;
  return b;
}
