/// The HTML of the `welcome` page: one self-contained document (inline CSS and script, no
/// external assets) so it works offline and from any host name the server is reached by.
///
/// Element ids are a stable contract for the browser test: `#ws-log` receives one line per echoed
/// message, `#sse-clock` shows the last tick's time and `#sse-ticks` counts the ticks.
enum WelcomePage {
    struct Facts: Sendable, Hashable {
        var serverVersion: String
        var pid: Int32
        var worker: String
        var uptime: String
    }

    static func render(_ facts: Facts) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>PAGI for Swift — welcome</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2330;background:#f7f8fa}
        h1{font-size:1.6rem;margin-bottom:.2rem}
        section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:1rem 1.2rem;margin:1rem 0}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
        dt{color:#5a6375}
        code,#sse-clock,#ws-log{font-family:ui-monospace,monospace}
        #ws-log{background:#f1f3f6;min-height:4rem;max-height:12rem;overflow:auto;padding:.5rem;white-space:pre-wrap}
        .status{font-size:.85rem;color:#5a6375}
        #sse-clock{font-size:1.8rem}
        </style>
        </head>
        <body>
        <h1>PAGI for Swift</h1>
        <p>This page is served by a PAGI application. Its WebSocket echo and its clock use the same server.</p>
        <section>
        <h2>Server</h2>
        <dl>
        <dt>Version</dt><dd id="server-version">\(Self.escape(facts.serverVersion))</dd>
        <dt>Process id</dt><dd id="server-pid">\(facts.pid)</dd>
        <dt>Worker</dt><dd id="server-worker">\(Self.escape(facts.worker))</dd>
        <dt>Uptime</dt><dd id="server-uptime">\(Self.escape(facts.uptime))</dd>
        </dl>
        </section>
        <section>
        <h2>WebSocket echo <span class="status" id="ws-status">connecting…</span></h2>
        <form id="ws-form"><input id="ws-input" value="Hello over WebSocket" size="32"> <button>Send</button></form>
        <div id="ws-log"></div>
        </section>
        <section>
        <h2>Server-Sent Events clock <span class="status" id="sse-status">connecting…</span></h2>
        <div id="sse-clock">--:--:--</div>
        <p class="status">ticks: <span id="sse-ticks">0</span>, last id: <span id="sse-id">-</span></p>
        </section>
        <script>
        (function () {
          var log = document.getElementById("ws-log");
          function line(text) { log.textContent += text + "\\n"; log.scrollTop = log.scrollHeight; }
          var scheme = location.protocol === "https:" ? "wss://" : "ws://";
          var socket = new WebSocket(scheme + location.host + "/ws");
          var wsStatus = document.getElementById("ws-status");
          socket.onopen = function () { wsStatus.textContent = "open"; socket.send("hello from the welcome page"); };
          socket.onmessage = function (event) { line("echo: " + event.data); };
          socket.onclose = function (event) { wsStatus.textContent = "closed (" + event.code + ")"; };
          document.getElementById("ws-form").onsubmit = function (event) {
            event.preventDefault();
            var text = document.getElementById("ws-input").value;
            if (socket.readyState === WebSocket.OPEN) { socket.send(text); line("sent: " + text); }
          };
          var ticks = 0;
          var source = new EventSource("/events");
          var sseStatus = document.getElementById("sse-status");
          source.onopen = function () { sseStatus.textContent = "streaming"; };
          source.onerror = function () { sseStatus.textContent = "reconnecting…"; };
          source.addEventListener("tick", function (event) {
            ticks += 1;
            var time = new Date(event.data);
            document.getElementById("sse-clock").textContent = isNaN(time) ? event.data : time.toLocaleTimeString();
            document.getElementById("sse-ticks").textContent = String(ticks);
            document.getElementById("sse-id").textContent = event.lastEventId;
          });
        })();
        </script>
        </body>
        </html>

        """
    }

    /// Escapes text for an HTML text node.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `3d 04h 05m 06s`, dropping leading zero units (`42s`, `1m 05s`).
    static func formatUptime(seconds: Int64) -> String {
        let total = max(0, seconds)
        let days = total / 86_400
        let hours = total / 3600 % 24
        let minutes = total / 60 % 60
        let secs = total % 60
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
        if days > 0 { return "\(days)d \(pad(hours))h \(pad(minutes))m \(pad(secs))s" }
        if hours > 0 { return "\(hours)h \(pad(minutes))m \(pad(secs))s" }
        if minutes > 0 { return "\(minutes)m \(pad(secs))s" }
        return "\(secs)s"
    }
}
