/** The chat page: static HTML; its script is `/chat.js` (see bundle.ts). */
export const chatPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sockeon-ts chat</title>
<style>
  body { font: 15px system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; }
  header { display: flex; justify-content: space-between; align-items: baseline; }
  #status { padding: .1rem .5rem; border-radius: .5rem; background: #eee; }
  #status[data-status="open"] { background: #c8f0c8; }
  #status[data-status="reconnecting"] { background: #f8e0a0; }
  form { display: flex; gap: .5rem; margin: .5rem 0; }
  input { flex: 1; padding: .3rem; }
  #log { list-style: none; padding: .5rem; height: 20rem; overflow-y: auto; border: 1px solid #ccc; }
  .system { color: #777; font-style: italic; }
  .error { color: #b00; }
</style>
</head>
<body>
<header><h1>sockeon-ts chat</h1><span id="status" data-status="connecting">connecting</span></header>
<form id="join">
  <input id="name" placeholder="your name" value="guest" aria-label="name">
  <input id="room" placeholder="room" value="lobby" aria-label="room">
  <button>Join</button>
</form>
<p>Rooms: <span id="rooms">none</span></p>
<ul id="log"></ul>
<form id="say"><input id="text" placeholder="message" aria-label="message" autocomplete="off"><button>Send</button></form>
<script type="module" src="/chat.js"></script>
</body>
</html>
`;
