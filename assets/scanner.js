/* 共商 volunteer scanner: reads residents' personal QR codes with the phone camera and checks them in.
 *
 * pages/scanner.py draws the page and calls GongshangScanner.start({...}) with the meeting, the URLs and the
 * Chinese (or English) texts. Every decoded code becomes a scan {token, nonce, scanned_at} in a queue kept in
 * localStorage (one key per meeting), so a scan made while the courtyard has no signal survives a reload and is
 * sent when the network comes back; the server answers a replayed nonce with the first answer, so sending a scan
 * twice never counts twice.
 *
 * Decoding: window.BarcodeDetector where the browser has one (Android Chrome), else the vendored jsQR
 * (assets/vendor/jsqr, Apache-2.0) on a frame scaled down to at most 640 px wide. Problems go to console.warn:
 * a volunteer's phone without a camera is an expected situation, not an error.
 */
(function () {
  'use strict';

  const MAX_WIDTH = 640;        // px: enough for a phone-screen QR at arm's length, and fast to decode
  const FRAME_GAP_MS = 120;     // between decodes: ~5–8 decodes a second on a cheap phone
  const SAME_CODE_MS = 3000;    // the same code seen again within this (still in view) is not sent again
  const RETRY_MS = 5000;        // queued scans are retried this often (and at once on the 'online' event)
  const RECENT = 5;             // answers listed under the big panel
  const TOKEN = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/;
  const CODE_URL = /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?\/c\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\/?(?:[?#]\S*)?$/;
  const ICONS = {checked_in: 'check_circle', already: 'history', refused: 'cancel', waiting: 'schedule'};

  /** The personal-code token in a decoded QR text (our /c/<token> URL, or a bare token), else null. */
  function tokenOf(text) {
    const value = String(text || '').trim();
    if (value.length > 600) return null;
    const match = CODE_URL.exec(value);
    const token = match ? match[1] : value;
    return TOKEN.test(token) && token.length <= 400 ? token : null;
  }

  function makeNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, '');
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Local time with its offset, e.g. 2026-11-30T19:02:05.123+08:00 (the server reads it as an aware datetime). */
  function isoNow() {
    const now = new Date();
    const pad = (n, w) => String(Math.abs(n)).padStart(w || 2, '0');
    const offset = -now.getTimezoneOffset();
    return now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate()) + 'T' +
      pad(now.getHours()) + ':' + pad(now.getMinutes()) + ':' + pad(now.getSeconds()) + '.' +
      pad(now.getMilliseconds(), 3) + (offset >= 0 ? '+' : '-') + pad(Math.floor(Math.abs(offset) / 60)) + ':' +
      pad(Math.abs(offset) % 60);
  }

  function fill(template, params) {
    return String(template).replace(/\{(\w+)\}/g, (all, key) => (key in params ? String(params[key]) : all));
  }

  /** Load a script once (jsQR is 257 KB: phones with a BarcodeDetector never fetch it). */
  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('cannot load ' + url));
      document.head.appendChild(script);
    });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  class Queue {
    constructor(meetingId) { this.key = 'gongshang.scan-queue.' + meetingId; }
    all() {
      try {
        const items = JSON.parse(localStorage.getItem(this.key) || '[]');
        return Array.isArray(items) ? items : [];
      } catch (e) {
        return [];
      }
    }
    save(items) {
      try {
        if (items.length) localStorage.setItem(this.key, JSON.stringify(items));
        else localStorage.removeItem(this.key);
      } catch (e) {
        console.warn('共商 scanner: cannot keep the queue in localStorage', e && e.message);
      }
    }
    push(item) { this.save(this.all().concat([item])); }
    drop(nonce) { this.save(this.all().filter((item) => item.nonce !== nonce)); }
  }

  class Scanner {
    constructor(config) {
      this.config = config;
      this.texts = config.texts;
      this.queue = new Queue(config.meetingId);
      this.root = document.getElementById(config.root);
      this.lastToken = null;
      this.lastSeen = 0;
      this.flushing = false;
      this.stopped = false;
      this.recent = [];
      this.stats = {frames: 0, decodeMs: 0, maxMs: 0, decoder: ''};
      this.build();
    }

    build() {
      const root = this.root;
      root.textContent = '';
      this.videoBox = el('div', 'gs-scan-video-box');
      this.video = el('video', 'gs-scan-video');
      this.video.setAttribute('playsinline', '');
      this.video.setAttribute('muted', '');
      this.video.muted = true;
      this.videoBox.appendChild(this.video);
      this.videoBox.appendChild(el('div', 'gs-scan-aim'));
      this.hint = el('div', 'gs-scan-hint', this.texts.starting);
      this.videoBox.appendChild(this.hint);
      this.canvas = el('canvas', 'gs-scan-canvas');
      this.panel = el('div', 'gs-scan-panel gs-scan-idle');
      this.panel.setAttribute('role', 'status');
      this.panel.setAttribute('aria-live', 'assertive');
      this.panel.dataset.result = 'idle';
      this.panel.appendChild(el('div', 'gs-scan-message', this.texts.aim));
      this.tapHint = el('div', 'gs-scan-tap', this.texts.tapForSound);
      this.queueLine = el('div', 'gs-scan-queue');
      this.queueLine.hidden = true;
      this.cameraProblem = el('div', 'gs-scan-camera-problem');
      this.cameraProblem.hidden = true;
      this.list = el('ol', 'gs-scan-recent');
      for (const node of [this.videoBox, this.cameraProblem, this.panel, this.tapHint, this.queueLine, this.list]) {
        root.appendChild(node);
      }
      root.addEventListener('click', () => this.unlockSound(), {passive: true});
    }

    async start() {
      this.showQueue();
      window.addEventListener('online', () => this.flush());
      this.retryTimer = setInterval(() => this.flush(), RETRY_MS);
      window.addEventListener('pagehide', () => this.stop());
      this.flush();
      await this.openCamera();
    }

    stop() {
      clearInterval(this.retryTimer);
      this.stopCamera();
    }

    stopCamera() {
      this.stopped = true;
      if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    }

    // ---- camera ----

    async openCamera() {
      if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        this.cameraFailed(this.texts.insecure, 'insecure context');
        return;
      }
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({
          audio: false, video: {facingMode: 'environment', width: {ideal: 1280}, height: {ideal: 720}}});
      } catch (e) {
        const name = e && e.name;
        const reason = (name === 'NotAllowedError' || name === 'SecurityError') ? this.texts.denied
          : (name === 'NotFoundError' || name === 'OverconstrainedError') ? this.texts.noCamera
            : name === 'NotReadableError' ? this.texts.busy : this.texts.cameraError;
        this.cameraFailed(reason, name + ': ' + (e && e.message));
        return;
      }
      this.video.srcObject = this.stream;
      try {
        await this.video.play();
      } catch (e) {
        console.warn('共商 scanner: video.play()', e && e.message);
      }
      this.hint.textContent = this.texts.aim;
      this.decoder = await this.pickDecoder();
      if (!this.decoder) {
        this.cameraFailed(this.texts.noDecoder, 'neither BarcodeDetector nor jsQR');
        return;
      }
      this.loop();
    }

    cameraFailed(reason, detail) {
      console.warn('共商 scanner: no camera:', detail);
      this.stopCamera();  // queued scans are still retried
      this.videoBox.hidden = true;
      const box = this.cameraProblem;
      box.textContent = '';
      box.appendChild(el('div', 'gs-scan-camera-reason', fill(this.texts.noCameraTitle, {reason: reason})));
      const link = el('a', 'gs-scan-search-button', this.texts.search);
      link.href = this.config.searchUrl;
      box.appendChild(link);
      box.hidden = false;
      if (this.panel.dataset.result === 'idle') this.panel.hidden = true;  // nothing to aim at
      if (this.tapHint) this.tapHint.hidden = true;
      this.root.dataset.camera = 'failed';
    }

    async pickDecoder() {
      if ('BarcodeDetector' in window) {
        try {
          const formats = await window.BarcodeDetector.getSupportedFormats();
          if (formats.includes('qr_code')) {
            const detector = new window.BarcodeDetector({formats: ['qr_code']});
            this.stats.decoder = 'BarcodeDetector';
            return async (source) => {
              const codes = await detector.detect(source);
              return codes.length ? codes[0].rawValue : null;
            };
          }
        } catch (e) {
          console.warn('共商 scanner: BarcodeDetector unusable, using jsQR', e && e.message);
        }
      }
      if (typeof window.jsQR !== 'function' && this.config.jsqrUrl) {
        try {
          await loadScript(this.config.jsqrUrl);
        } catch (e) {
          console.warn('共商 scanner: jsQR did not load', e && e.message);
        }
      }
      if (typeof window.jsQR !== 'function') return null;
      this.stats.decoder = 'jsQR';
      const context = this.canvas.getContext('2d', {willReadFrequently: true});
      return async () => {
        const width = this.video.videoWidth;
        const height = this.video.videoHeight;
        if (!width || !height) return null;
        const scale = Math.min(1, MAX_WIDTH / width);
        const w = Math.round(width * scale);
        const h = Math.round(height * scale);
        if (this.canvas.width !== w) this.canvas.width = w;
        if (this.canvas.height !== h) this.canvas.height = h;
        context.drawImage(this.video, 0, 0, w, h);
        const image = context.getImageData(0, 0, w, h);
        const code = window.jsQR(image.data, w, h, {inversionAttempts: 'dontInvert'});
        return code ? code.data : null;
      };
    }

    loop() {
      this.stats.since = performance.now();
      const tick = async () => {
        if (this.stopped) return;
        const begun = performance.now();
        if (!document.hidden && this.video.readyState >= 2) {
          try {
            const text = await this.decoder(this.video);
            const spent = performance.now() - begun;
            this.stats.frames += 1;
            this.stats.decodeMs += spent;
            this.stats.maxMs = Math.max(this.stats.maxMs, spent);
            if (text !== null && text !== undefined) this.decoded(text);
          } catch (e) {
            console.warn('共商 scanner: decode failed', e && e.message);
          }
        }
        setTimeout(tick, Math.max(10, FRAME_GAP_MS - (performance.now() - begun)));
      };
      tick();
    }

    // ---- scans ----

    decoded(text) {
      const now = Date.now();
      const token = tokenOf(text);
      const key = token || ('other:' + text);
      const again = key === this.lastToken && now - this.lastSeen < SAME_CODE_MS;
      this.lastToken = key;
      this.lastSeen = now;  // a code held in view stays "just seen": it is sent once, not every 3 s
      if (again) return;
      if (!token) {
        this.show({result: 'refused', message: this.texts.notPersonal});
        return;
      }
      this.queue.push({token: token, nonce: makeNonce(), scanned_at: isoNow()});
      this.showQueue();
      this.flush();
    }

    async flush() {
      if (this.flushing) return;
      this.flushing = true;
      const tried = new Set();
      try {
        for (;;) {  // re-read the queue each time: scans made while sending join this round
          const item = this.queue.all().find((each) => !tried.has(each.nonce));
          if (!item) break;
          tried.add(item.nonce);
          const outcome = await this.send(item);
          if (outcome === 'keep') break;  // the network is down: keep the rest in order, try again later
          this.queue.drop(item.nonce);
        }
      } finally {
        this.flushing = false;
        this.showQueue();
      }
    }

    async send(item) {
      let response;
      try {
        response = await fetch(this.config.postUrl, {
          method: 'POST', credentials: 'same-origin', cache: 'no-store',
          headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
          body: JSON.stringify(item)});
      } catch (e) {
        this.offline = true;
        return 'keep';
      }
      if (response.status >= 500 || response.status === 401) {
        // the server is restarting, or the volunteer was signed out: keep the scan for later
        this.offline = response.status >= 500;
        if (response.status === 401 && !this.signedOut) this.show({result: 'refused', message: this.texts.signedOut});
        this.signedOut = response.status === 401;  // said once, not at every retry
        return 'keep';
      }
      this.offline = false;
      this.signedOut = false;
      let body = {};
      try {
        body = await response.json();
      } catch (e) {
        body = {};
      }
      if (!response.ok) {
        this.show({result: 'refused', message: body.message || this.texts.refusedUnknown, scannedAt: item.scanned_at});
        return 'drop';
      }
      this.show({...body, scannedAt: item.scanned_at});
      return 'done';
    }

    // ---- what the volunteer sees, hears and feels ----

    show(answer) {
      const result = ['checked_in', 'already', 'refused'].includes(answer.result) ? answer.result : 'refused';
      const panel = this.panel;
      panel.hidden = false;
      panel.className = 'gs-scan-panel gs-scan-' + result;
      panel.dataset.result = result;
      panel.textContent = '';
      const head = el('div', 'gs-scan-head');
      head.appendChild(el('span', 'material-icons gs-scan-icon', ICONS[result]));
      head.appendChild(el('span', 'gs-scan-message', answer.message || ''));
      panel.appendChild(head);
      if (answer.name) panel.appendChild(el('div', 'gs-scan-name', answer.name));
      const details = [answer.place, answer.seat, answer.pending ? this.texts.pending : '']
        .filter(Boolean).join(' · ');
      if (details) panel.appendChild(el('div', 'gs-scan-details', details));
      if (answer.scannedAt) {  // an answer of the server (a queued scan's answer may arrive minutes later)
        const when = new Date(answer.scannedAt);
        const clock = isNaN(when) ? '' : String(when.getHours()).padStart(2, '0') + ':' +
          String(when.getMinutes()).padStart(2, '0');
        const text = [clock, answer.name, answer.message].filter(Boolean).join(' · ');
        this.recent.unshift({result: result, text: text});
        this.recent = this.recent.slice(0, RECENT);
        this.list.textContent = '';
        for (const entry of this.recent) {
          const row = el('li', 'gs-scan-recent-' + entry.result);
          row.appendChild(el('span', 'material-icons', ICONS[entry.result]));
          row.appendChild(el('span', '', entry.text));
          this.list.appendChild(row);
        }
      }
      this.feedback(result);
    }

    showQueue() {
      const waiting = this.queue.all().length;
      this.queueLine.hidden = waiting === 0;
      this.queueLine.textContent = '';
      if (!waiting) return;
      this.queueLine.appendChild(el('span', 'material-icons', ICONS.waiting));
      this.queueLine.appendChild(el('span', 'gs-scan-queue-count', fill(this.texts.queued, {n: waiting})));
      if (this.offline) this.queueLine.appendChild(el('div', 'gs-scan-offline', this.texts.offline));
    }

    unlockSound() {
      if (this.tapHint) this.tapHint.remove();
      this.tapHint = null;
      if (this.audio || !(window.AudioContext || window.webkitAudioContext)) return;
      try {
        this.audio = new (window.AudioContext || window.webkitAudioContext)();
      } catch (e) {
        this.audio = null;
      }
    }

    feedback(result) {
      // browsers allow vibration and sound only after the person has touched the page
      const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
      if (!touched) return;
      if (navigator.vibrate) navigator.vibrate(result === 'checked_in' ? 120 : [90, 60, 90]);
      if (!this.audio || this.audio.state !== 'running') return;
      const tone = this.audio.createOscillator();
      const gain = this.audio.createGain();
      tone.frequency.value = result === 'checked_in' ? 880 : result === 'already' ? 660 : 330;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(this.audio.destination);
      tone.start();
      tone.stop(this.audio.currentTime + (result === 'checked_in' ? 0.12 : 0.3));
    }
  }

  let current = null;

  window.GongshangScanner = {
    tokenOf: tokenOf,
    start: function (config) {
      if (current) current.stop();
      current = new Scanner(config);
      current.start();
      return current;
    },
    get current() { return current; },
  };
})();
