import sharp from 'sharp';
import { readFileSync } from 'node:fs';
const src = readFileSync(process.argv[2] ?? 'content/assets/portrait.jpg');
const meta = await sharp(src).metadata(); console.log(meta.width, meta.height, meta.format);
for (const round of [1,2]) for (const [fmt, opt] of [['avif',{quality:55,effort:2}],['avif',{quality:55,effort:1}],['avif',{quality:55,effort:0}],['webp',{quality:78}],['webp',{quality:78, effort: 2}],['jpeg',{quality:80,mozjpeg:true}], ['jpeg',{quality:80}]]) {
  const t = performance.now(); const c0 = process.cpuUsage(); let bytes = [];
  for (const w of [160,320,480]) bytes.push((await sharp(src).resize({width: Math.min(w, meta.width)})[fmt](opt).toBuffer()).length);
  const c = process.cpuUsage(c0);
  if (round === 2) console.log(fmt, JSON.stringify(opt), (performance.now()-t).toFixed(0), 'ms wall', ((c.user+c.system)/1000).toFixed(0), 'ms cpu', bytes.join(' '));
}
