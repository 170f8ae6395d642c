/**
 * The shell of the browser pages. Pages carry no data: their script asks for the API token once
 * (kept in this browser's localStorage) and calls the same JSON API as everyone else.
 */
export function page(title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · photo-relay</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2329; background: #f5f6f8; }
  body { margin: 0 auto; max-width: 1100px; padding: 1rem; }
  header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  header a { color: #3a5bd9; }
  h1 { font-size: 1.3rem; margin: 0 1rem 0 0; }
  .counts span { margin-right: 1rem; }
  .grid { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); margin-top: 1rem; }
  .card { background: #fff; border-radius: 8px; padding: .6rem; box-shadow: 0 1px 3px #0002; }
  .card img { width: 100%; height: 170px; object-fit: contain; background: #eef0f3; border-radius: 4px; }
  .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin: .4rem 0; }
  .stages { display: flex; gap: .3rem; flex-wrap: wrap; }
  .stage { font-size: .75rem; padding: .1rem .4rem; border-radius: 4px; background: #e4e7eb; }
  .done, .skipped { background: #d3f2dc; } .failed { background: #f8d0d0; }
  .running, .waiting, .retrying { background: #fdebc8; } .awaiting_approval { background: #dfe3fb; }
  .error { color: #a12020; font-size: .8rem; margin-top: .3rem; }
  .links a { font-size: .8rem; margin-right: .6rem; }
  button { font: inherit; padding: .4rem .8rem; border-radius: 6px; border: 1px solid #3a5bd9; background: #3a5bd9; color: #fff; }
  progress { width: 100%; }
  .upload { background: #fff; border-radius: 8px; padding: .6rem; margin-top: .6rem; }
</style>
</head>
<body>
<header><h1>photo-relay</h1><a href="./dashboard">Dashboard</a><a href="./upload">Upload</a></header>
${body}
<script type="module">
const token = () => {
  let t = localStorage.getItem("photo-relay-token");
  if (!t) { t = prompt("API token") || ""; localStorage.setItem("photo-relay-token", t); }
  return t;
};
const api = async (path, init = {}) => {
  const res = await fetch(".." + path, { ...init, headers: { authorization: "Bearer " + token(), "content-type": "application/json" } });
  const body = await res.json();
  if (res.status === 401) localStorage.removeItem("photo-relay-token");
  if (!res.ok) throw new Error(body.error?.message || res.statusText);
  return body;
};
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
${script}
</script>
</body>
</html>`;
}
