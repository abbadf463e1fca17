/*!
 * Back pain assistant: embeddable chat widget for the Rasa socket.io channel.
 *
 *   <script src="https://assistant.example.org/widget.js"
 *           data-server-url="https://assistant.example.org:5005"
 *           data-title="Back pain helper" data-primary-color="#00567a" data-lang="en" defer></script>
 *
 * Loads widget.css and vendor/socket.io.min.js from the folder it was loaded from.
 * Every option and the protocol are described in docs/widget.md.
 *
 * Security rule for this file: message content is only ever put into the page with
 * textContent / createTextNode (never innerHTML), links only with an http(s) href.
 */
(function () {
  'use strict';

  if (window.BackpainWidget) return; // pasted twice: keep the first one

  var STRINGS = {
    en: {
      title: 'Back pain helper',
      subtitle: 'Virtual assistant',
      openChat: 'Open chat',
      closeChat: 'Close chat',
      restart: 'Start over',
      restartConfirm: "Delete this conversation, here and on the assistant's server, and start a new one?",
      restartYes: 'Start again',
      restartNo: 'Keep this chat',
      disclaimer: "I'm not a doctor. In an emergency, call your local emergency number.",
      disclaimerNumber: "I'm not a doctor. In an emergency, call {number}.",
      conversation: 'Conversation',
      inputLabel: 'Your message',
      placeholder: 'Type your message…',
      send: 'Send',
      you: 'You said:',
      bot: 'Assistant said:',
      suggestions: 'Suggested replies',
      typing: 'The assistant is typing…',
      connecting: 'Connecting…',
      offline: 'Connection lost. Trying to reconnect…',
      timeout: "The assistant didn't answer. Please try again in a moment.",
      notForgotten: 'Your previous conversation could not be deleted from the server yet. This will be tried again automatically.',
      image: 'Image from the assistant',
      newWindow: '(opens in a new window)',
      important: 'Important:',
      alertIcon: 'Warning',
      alertEmergency: 'Emergency: call {number} now',
      alertEmergencyNoNumber: 'Emergency: get help now',
      alertUrgent: 'Urgent: get help today',
      alertCrisis: 'If you are not safe: call {number} now',
      alertCrisisNoNumber: 'If you are not safe: get help now',
      call: 'Call {number}',
      pinned: 'Latest urgent instruction',
      enlarge: 'Enlarge',
      saveOrPrint: 'Save or print',
      downloadPdf: 'Download PDF',
      // Shown beside the header's icons where the panel is short (200% zoom): part of the name.
      printShort: 'Print',
      pdfShort: 'PDF',
      pdfUnavailable: 'The PDF could not be made just now. Please try again in a moment.',
      summaryTitle: 'Your summary',
      summaryHint: 'Print it or save it to take to your appointment. It is made on this device: nothing is sent anywhere.',
      print: 'Print',
      download: 'Download as text',
      backToChat: 'Back to the chat',
      docTitle: 'Summary of your conversation with {title}',
      date: 'Date:',
      urgentHeading: 'Important: do this first',
      toldHeading: 'What you told the assistant',
      causesHeading: 'Possible causes and why',
      adviceHeading: 'Advice given',
      notDiagnosis: 'This is not a diagnosis. It is what you told a virtual assistant and the general information it gave you. Only a professional who examines you can tell what is causing your pain.',
      consultFallback: 'Please see a health professional, such as your GP or a physiotherapist, about your pain.',
      fileName: 'back-pain-summary',
      greeting: "Hi, I'm a virtual assistant for back and leg pain. I'm not a doctor. Tell me where it hurts, or pick one of these:",
      suggestCheck: 'Check my symptoms',
      suggestAE: 'Should I go to A&E?',
      suggestAsk: 'Ask a question',
      toldCard: 'What you told me (to show your physio or doctor)',
      causesIntro: 'Possible causes. Open one to see why it may fit and what may help.',
      causesLabel: 'Possible causes',
      whyFits: 'Why it may fit:',
      whatHelps: 'What may help:',
      nextSteps: 'Next steps',
      exercisePlan: 'Your exercise plan',
      moreBelow: 'More below',
      askQuestion: 'Ask a question',
      askPlaceholder: 'Type your question…'
    },
    fr: {
      title: 'Aide mal de dos',
      subtitle: 'Assistant virtuel',
      openChat: 'Ouvrir la discussion',
      closeChat: 'Fermer la discussion',
      restart: 'Recommencer',
      restartConfirm: "Effacer cette conversation, ici et sur le serveur de l'assistant, et en commencer une nouvelle ?",
      disclaimer: "Je ne suis pas médecin. En cas d'urgence, appelez le numéro d'urgence local.",
      disclaimerNumber: "Je ne suis pas médecin. En cas d'urgence, appelez le {number}.",
      conversation: 'Conversation',
      inputLabel: 'Votre message',
      placeholder: 'Écrivez votre message…',
      send: 'Envoyer',
      you: 'Vous avez dit :',
      bot: "L'assistant a dit :",
      suggestions: 'Réponses suggérées',
      typing: "L'assistant écrit…",
      connecting: 'Connexion…',
      offline: 'Connexion perdue. Nouvelle tentative…',
      timeout: "L'assistant n'a pas répondu. Veuillez réessayer dans un instant.",
      notForgotten: "Votre conversation précédente n'a pas encore pu être effacée du serveur. Cela sera retenté automatiquement.",
      image: "Image envoyée par l'assistant",
      newWindow: '(ouvre une nouvelle fenêtre)',
      important: 'Important :',
      alertIcon: 'Avertissement',
      alertEmergency: 'Urgence : appelez le {number} maintenant',
      alertEmergencyNoNumber: "Urgence : demandez de l'aide maintenant",
      alertUrgent: "Urgent : faites-vous examiner aujourd'hui",
      alertCrisis: "Si vous n'êtes pas en sécurité : appelez le {number} maintenant",
      alertCrisisNoNumber: "Si vous n'êtes pas en sécurité : demandez de l'aide maintenant",
      call: 'Appeler le {number}',
      pinned: 'Dernière consigne urgente',
      enlarge: 'Agrandir',
      saveOrPrint: 'Enregistrer ou imprimer',
      downloadPdf: 'Télécharger le PDF',
      printShort: 'Imprimer',
      pdfShort: 'PDF',
      pdfUnavailable: "Le PDF n'a pas pu être créé. Veuillez réessayer dans un instant.",
      summaryTitle: 'Votre résumé',
      summaryHint: "Imprimez-le ou enregistrez-le pour votre rendez-vous. Il est créé sur cet appareil : rien n'est envoyé.",
      print: 'Imprimer',
      download: 'Télécharger en texte',
      backToChat: 'Retour à la discussion',
      docTitle: 'Résumé de votre conversation avec {title}',
      date: 'Date :',
      urgentHeading: "Important : à faire d'abord",
      toldHeading: "Ce que vous avez dit à l'assistant",
      causesHeading: 'Causes possibles et pourquoi',
      adviceHeading: 'Conseils donnés',
      notDiagnosis: "Ceci n'est pas un diagnostic : c'est ce que vous avez dit à un assistant virtuel et les informations générales qu'il vous a données. Seul un professionnel qui vous examine peut dire d'où vient votre douleur.",
      consultFallback: 'Consultez un professionnel de santé, par exemple votre médecin ou un kinésithérapeute, au sujet de votre douleur.',
      fileName: 'resume-mal-de-dos',
      greeting: "Bonjour, je suis un assistant virtuel pour le mal de dos et de jambe. Je ne suis pas médecin. Dites-moi où vous avez mal (je ne comprends que l'anglais pour l'instant), ou choisissez :",
      suggestCheck: 'Vérifier mes symptômes',
      suggestAE: 'Dois-je aller aux urgences ?',
      suggestAsk: 'Poser une question',
      toldCard: 'Ce que vous m\'avez dit (à montrer à votre kiné ou médecin)',
      causesIntro: 'Causes possibles. Ouvrez-en une pour voir pourquoi elle peut correspondre et ce qui peut aider.',
      causesLabel: 'Causes possibles',
      whyFits: 'Pourquoi cela peut correspondre :',
      whatHelps: 'Ce qui peut aider :',
      nextSteps: 'Et maintenant',
      exercisePlan: "Votre programme d'exercices",
      askQuestion: 'Poser une question',
      askPlaceholder: 'Écrivez votre question…'
    }
  };

  var REPLY_TIMEOUT_MS = 30000;
  var MAX_HISTORY = 300;
  var DEFAULT_PRIMARY = '#00567a';

  // What a bot message is comes with it from the server, as metadata.kind (docs/api.md,
  // bot/contract.py MESSAGE_KINDS): escalations are announced assertively and the summary is
  // built from the kinds, whatever the wording or language of the messages.
  // 'plan': the exercise plan, when the server sends one (the "Your exercise plan" button).
  // 'plan_offer': a routine result offers its plan, which the server sends when asked.
  var KINDS = ['emergency', 'urgent', 'reminder', 'crisis', 'told', 'lead', 'causes', 'advice', 'consult', 'plan', 'plan_offer'];
  function kindOf(message) {
    var kind = message && message.metadata && message.metadata.kind;
    return KINDS.indexOf(kind) >= 0 ? kind : '';
  }
  // Marked as important in the log and put at the top of the summary.
  function isEscalation(kind) { return kind === 'emergency' || kind === 'urgent' || kind === 'reminder' || kind === 'crisis'; }
  // Shown as an alert card (heading, icon, tap-to-call link), the latest one pinned on top.
  function isAlert(kind) { return kind === 'emergency' || kind === 'urgent' || kind === 'crisis'; }

  // The number to call that comes with an alert (metadata.call, from the server's
  // EMERGENCY_NUMBER / URGENT_CARE_NUMBER): only what a phone can dial makes a tel: link.
  function callOf(message) {
    return checkedCall(message && message.metadata && message.metadata.call);
  }
  /** {number, route?} from a message's metadata.call or a stored entry, or null. */
  function checkedCall(call) {
    if (!call || typeof call.number !== 'string') return null;
    var number = call.number.trim();
    if (!/^\+?[0-9]{2,15}$/.test(dialled(number))) return null;
    var found = { number: number };
    if (typeof call.route === 'string' && call.route) found.route = call.route;
    return found;
  }
  function dialled(number) { return String(number).replace(/[\s().-]/g, ''); }

  // ---------------------------------------------------------------- options
  var script = document.currentScript || (function () {
    var found = document.querySelectorAll('script[src*="widget.js"]');
    return found[found.length - 1];
  })();
  var data = (script && script.dataset) || {};
  var baseUrl = new URL('.', (script && script.src) || location.href).href;

  function defaultServerUrl() {
    var protocol = location.protocol === 'https:' ? 'https:' : 'http:';
    return protocol + '//' + (location.hostname || 'localhost') + ':5005';
  }

  function httpUrl(value) {
    try {
      var url = new URL(value, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch (e) {
      return null;
    }
  }

  var lang = String(data.lang || document.documentElement.lang || 'en').toLowerCase().split('-')[0];
  if (!STRINGS[lang]) lang = 'en';
  var T = STRINGS[lang];
  var serverUrl = (httpUrl(data.serverUrl || defaultServerUrl()) || httpUrl(defaultServerUrl())).href.replace(/\/+$/, '');
  var options = {
    serverUrl: serverUrl,
    socketPath: data.socketPath || '/socket.io',
    title: data.title || T.title,
    primaryColor: data.primaryColor || DEFAULT_PRIMARY,
    primaryTextColor: data.primaryTextColor || '',
    emergencyNumber: data.emergencyNumber || '',
    // Per tab by default (a shared computer must not show the last person's conversation).
    storage: data.storage === 'local' ? 'local' : 'session',
    lang: lang
  };

  // ---------------------------------------------------------------- storage
  // Storage can be disabled or full; the widget then simply forgets on reload.
  var memory = {};
  function store(kind) {
    try {
      var s = window[kind + 'Storage'];
      var probe = '__bpw_probe__';
      s.setItem(probe, '1');
      s.removeItem(probe);
      return s;
    } catch (e) {
      return {
        getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }
  var persistent = store(options.storage);
  var perTab = store('session');
  var prefix = 'bpw:v1:' + options.serverUrl + ':';
  var SESSION_KEY = prefix + 'session';
  var OPEN_KEY = prefix + 'open';
  var FORGET_KEY = prefix + 'forget';
  var LARGE_KEY = prefix + 'large';
  function historyKey(id) { return prefix + 'history:' + id; }

  function safeSet(s, key, value) {
    try { s.setItem(key, value); } catch (e) { /* quota: keep going without saving */ }
  }

  // 128 random bits: the id is the conversation's only key. Without a CSPRNG, none is
  // made here and the server picks one (it replaces any id that is not 32 hex digits).
  function newSessionId() {
    if (!(window.crypto && crypto.getRandomValues)) return '';
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  var sessionId = persistent.getItem(SESSION_KEY);
  if (!sessionId || !/^[0-9a-f]{32}$/.test(sessionId)) {
    sessionId = newSessionId();
    safeSet(persistent, SESSION_KEY, sessionId);
  }

  function loadHistory(id) {
    try {
      var parsed = JSON.parse(persistent.getItem(historyKey(id)) || '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      return [];
    }
  }
  var history = loadHistory(sessionId);

  // Conversations deleted with Start over that the server has not yet confirmed deleting
  // (server or store unreachable at the time): kept here and deleted at the next chance.
  function pendingForget() {
    try {
      var parsed = JSON.parse(persistent.getItem(FORGET_KEY) || '[]');
      return Array.isArray(parsed) ? parsed.filter(function (id) { return /^[0-9a-f]{32}$/.test(id); }) : [];
    } catch (e) {
      return [];
    }
  }
  function setPendingForget(ids) {
    if (ids.length) safeSet(persistent, FORGET_KEY, JSON.stringify(ids));
    else persistent.removeItem(FORGET_KEY);
  }

  function saveHistory() {
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    safeSet(persistent, historyKey(sessionId), JSON.stringify(history));
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** An icon: decorative (hidden from screen readers) unless given a text alternative. */
  function svg(path, alt) {
    var ns = 'http://www.w3.org/2000/svg';
    var icon = document.createElementNS(ns, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('width', '22');
    icon.setAttribute('height', '22');
    if (alt) {
      icon.setAttribute('role', 'img');
      icon.setAttribute('aria-label', alt);
    } else {
      icon.setAttribute('aria-hidden', 'true');
    }
    icon.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    p.setAttribute('fill', 'currentColor');
    icon.appendChild(p);
    return icon;
  }
  var ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
  var ICON_CLOSE = 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z';
  var ICON_DOWN = 'M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z';
  var ICON_RESTART = 'M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z';
  var ICON_ENLARGE = 'M4 4h6v2H7.4l4.3 4.3-1.4 1.4L6 7.4V10H4V4zm16 16h-6v-2h2.6l-4.3-4.3 1.4-1.4 4.3 4.3V14h2v6z';
  var ICON_SHRINK = 'M11 11H5V9h2.6L3.3 4.7l1.4-1.4L9 7.6V5h2v6zm2 2h6v2h-2.6l4.3 4.3-1.4 1.4-4.3-4.3V19h-2v-6z';
  var ICON_WARNING = 'M12 2 1 21h22L12 2zm1 15h-2v-2h2v2zm0-4h-2V9h2v4z';
  var ICON_PHONE = 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1L6.6 10.8z';
  var ICON_PDF = 'M6 2h8l6 6v14H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5L13 3.5zM11 11v5.2l-2-2-1.4 1.4 4.4 4.4 4.4-4.4-1.4-1.4-2 2V11h-2z';
  var ICON_PRINT = 'M19 8H5a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3zm-3 11H8v-5h8v5zm3-7a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM18 3H6v4h12V3z';

  /** Appends text to node: plain text nodes, http(s) URLs as links. Never parses HTML. */
  function appendText(node, text) {
    var pattern = /\bhttps?:\/\/[^\s<>"']+/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      var url = match[0].replace(/[.,;:!?)\]]+$/, '');
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, [url]);
      link.appendChild(el('span', { class: 'bpw-sr', text: ' ' + T.newWindow }));
      node.appendChild(link);
      last = match.index + url.length;
      pattern.lastIndex = last;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  // A number said in an alert's text ("Samaritans on 116 123", "if it gets worse, call 999"):
  // tap-to-call as well, except the card's own number, which has its big link already.
  var SPOKEN_NUMBER = /\b(?:on|call|ring|phone|dial|text)\s+(?:NHS\s+)?(\+?\d{2,5}(?:[ -]\d{2,4}){0,3})(?![\d.,]\d)/gi;

  // Who a number belongs to, from the words before it ("Samaritans on 116 123").
  var NUMBER_OWNER = /([A-Z][\w&'’]*(?: [A-Z][\w&'’]*){0,3}) (?:on|at)\s*$/;

  /** The numbers said in an alert's text other than its own: [{number, dial, start, owner}]. */
  function spokenNumbers(text, call) {
    var own = call ? dialled(call.number) : null;
    var found = [];
    var match;
    SPOKEN_NUMBER.lastIndex = 0;
    while ((match = SPOKEN_NUMBER.exec(text))) {
      var number = match[1];
      var dial = dialled(number);
      if (dial === own || !/^\+?[0-9]{3,15}$/.test(dial)) continue;
      var start = match.index + match[0].length - number.length;
      var owner = NUMBER_OWNER.exec(text.slice(Math.max(0, start - 60), start));
      found.push({ number: number, dial: dial, start: start, owner: owner ? owner[1] : '' });
    }
    return found;
  }

  function numberLink(found, extraClass) {
    var name = T.call.replace('{number}', (found.owner ? found.owner + ' ' : '') + found.number);
    return el('a', { class: extraClass, href: 'tel:' + found.dial, 'aria-label': name }, [found.number]);
  }

  function appendAlertText(node, text, call) {
    var last = 0;
    spokenNumbers(text, call).forEach(function (found) {
      appendText(node, text.slice(last, found.start));
      node.appendChild(numberLink(found, 'bpw-inline-call'));
      last = found.start + found.number.length;
    });
    appendText(node, text.slice(last));
  }

  // ---------------------------------------------------------------- colours
  var WHITE = [255, 255, 255];
  var INK = [17, 17, 17];

  /** [r, g, b] of a CSS colour as the browser paints it (any syntax), or null if not opaque. */
  function rgbOf(color) {
    if (!color || !(window.CSS && CSS.supports && CSS.supports('color', color))) return null;
    var context = document.createElement('canvas').getContext('2d');
    if (!context) return null;
    context.fillStyle = color;
    context.fillRect(0, 0, 1, 1);
    var pixel = context.getImageData(0, 0, 1, 1).data;
    return pixel[3] === 255 ? [pixel[0], pixel[1], pixel[2]] : null;
  }

  function luminance(rgb) {
    var lum = rgb.map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
  }

  /** WCAG 2.1 contrast ratio, 1 to 21. */
  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function cssColor(rgb) { return 'rgb(' + rgb.join(', ') + ')'; }

  function warn(message) {
    if (window.console && console.warn) console.warn('Back pain widget: ' + message);
  }

  /**
   * The clinic's colours, checked once at start-up (WCAG 2.1 AA). The primary colour fills
   * the launcher and the header and outlines the buttons on the white panel, so it needs
   * 3:1 against white (1.4.11); the text on it needs 4.5:1 (1.4.3). A colour that fails is
   * replaced by an accessible one, with a console warning for whoever set it up.
   */
  function chooseColors() {
    var primary = rgbOf(options.primaryColor);
    if (!primary) {
      warn('data-primary-color "' + options.primaryColor + '" is not a solid CSS colour. Using ' + DEFAULT_PRIMARY + '.');
      primary = rgbOf(DEFAULT_PRIMARY);
    } else if (contrast(primary, WHITE) < 3) {
      warn('data-primary-color "' + options.primaryColor + '" has a contrast of ' + contrast(primary, WHITE).toFixed(2) +
        ':1 with the white panel; at least 3:1 is needed (WCAG 1.4.11). Using ' + DEFAULT_PRIMARY + '.');
      primary = rgbOf(DEFAULT_PRIMARY);
    }
    var text = contrast(primary, WHITE) >= contrast(primary, INK) ? WHITE : INK;
    if (options.primaryTextColor) {
      var custom = rgbOf(options.primaryTextColor);
      if (!custom) {
        warn('data-primary-text-color "' + options.primaryTextColor + '" is not a solid CSS colour. Using ' + cssColor(text) + '.');
      } else if (contrast(custom, primary) < 4.5) {
        warn('data-primary-text-color "' + options.primaryTextColor + '" has a contrast of ' + contrast(custom, primary).toFixed(2) +
          ':1 on ' + cssColor(primary) + '; text needs at least 4.5:1 (WCAG 1.4.3). Using ' + cssColor(text) + '.');
      } else {
        text = custom;
      }
    }
    return { primary: cssColor(primary), onPrimary: cssColor(text) };
  }

  // ---------------------------------------------------------------- UI
  var ui = {};

  function build() {
    var host = el('div', { id: 'bpw-host', lang: options.lang });
    var colors = chooseColors();
    host.style.setProperty('--bpw-primary', colors.primary);
    host.style.setProperty('--bpw-on-primary', colors.onPrimary);
    host.style.setProperty('visibility', 'hidden'); // until widget.css has loaded
    var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;

    var css = el('link', { rel: 'stylesheet', href: baseUrl + 'widget.css' });
    var shown = false;
    function show() { if (!shown) { shown = true; host.style.removeProperty('visibility'); } }
    css.addEventListener('load', show);
    css.addEventListener('error', show);
    setTimeout(show, 4000);

    ui.launcher = el('button', {
      type: 'button', class: 'bpw-launcher', 'aria-expanded': 'false', 'aria-controls': 'bpw-panel'
    }, [svg(ICON_CHAT), el('span', { class: 'bpw-launcher-label', text: options.title })]);
    ui.launcherIcon = ui.launcher.querySelector('path');

    ui.title = el('h2', { id: 'bpw-title', class: 'bpw-title', text: options.title });
    // Desktop only (hidden where the panel fills the screen): a larger panel, kept per tab.
    ui.enlarge = el('button', {
      type: 'button', class: 'bpw-icon-btn bpw-enlarge', 'aria-label': T.enlarge, title: T.enlarge, 'aria-pressed': 'false'
    }, [svg(ICON_ENLARGE)]);
    ui.enlargeIcon = ui.enlarge.querySelector('path');
    ui.restart = el('button', { type: 'button', class: 'bpw-icon-btn bpw-restart', 'aria-label': T.restart, title: T.restart }, [
      svg(ICON_RESTART), shortLabel(T.restart)
    ]);
    ui.close = el('button', { type: 'button', class: 'bpw-icon-btn', 'aria-label': T.closeChat, title: T.closeChat }, [svg(ICON_CLOSE)]);
    // The two ways to save, always together and in this order (on the device first), in the
    // header once there is something to save: a row of their own, or icons on short screens
    // (200% zoom), where the conversation needs the height.
    ui.save = toolButton(ICON_PRINT, T.saveOrPrint, 'bpw-save-summary', T.printShort);
    // The PDF is made by the server from the conversation and comes back over its own socket
    // (the 'summary_pdf' event's reply): no URL holds the conversation id (docs/handoff.md).
    ui.pdf = toolButton(ICON_PDF, T.downloadPdf, 'bpw-pdf', T.pdfShort);
    ui.tools = el('div', { class: 'bpw-tools', hidden: true }, [ui.save, ui.pdf]);
    var header = el('div', { class: 'bpw-header' }, [
      el('div', { class: 'bpw-heading' }, [ui.title, el('p', { class: 'bpw-subtitle', text: T.subtitle })]),
      ui.enlarge, ui.restart, ui.close, ui.tools
    ]);
    var disclaimer = options.emergencyNumber
      ? T.disclaimerNumber.replace('{number}', options.emergencyNumber) : T.disclaimer;
    // Outside every live region, so it is read once (as the dialog's description when focus
    // moves in), not with each message.
    ui.note = el('p', { id: 'bpw-note', class: 'bpw-note', role: 'note', text: disclaimer });

    ui.log = el('div', {
      class: 'bpw-log', id: 'bpw-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
      'aria-label': T.conversation, tabindex: '0'
    });
    ui.intro = buildGreeting();
    // Shown when a reply goes on below the visible part of the log (a phone, 200% zoom): the
    // question to answer is often its last bubble. Not in the log, so never announced with it.
    ui.more = el('button', { type: 'button', class: 'bpw-more', hidden: true }, [
      el('span', { class: 'bpw-more-label', text: T.moreBelow + ' ' }),
      el('span', { 'aria-hidden': 'true', text: '\u2193' })  // the arrow is not read out
    ]);
    ui.more.addEventListener('click', function () {
      var last = ui.log.lastElementChild;
      if (last) ui.log.scrollTop = Math.max(0, last.offsetTop + last.offsetHeight - ui.log.clientHeight + 8);
      updateMore();
      // The message field, never an answer button: at 200% zoom it landed on "Yes" to a
      // question about emergency signs (usability review 10). The answers are one Tab away.
      ui.input.focus();
    });
    ui.log.addEventListener('scroll', function () { updateMore(); });

    ui.status = el('div', { class: 'bpw-status', role: 'status', 'aria-live': 'polite' });
    // A compact copy of the latest alert, with its call link, above the conversation (never
    // over it). Not a live region: the alert is announced once, by the log.
    ui.pinned = el('section', { class: 'bpw-pinned', 'aria-label': T.pinned, hidden: true });


    ui.summaryTitle = el('h3', { id: 'bpw-summary-title', class: 'bpw-summary-title', tabindex: '-1', text: T.summaryTitle });
    ui.doc = el('div', { class: 'bpw-doc' });
    ui.print = el('button', { type: 'button', class: 'bpw-action bpw-action--main' }, [T.print]);
    ui.download = el('button', { type: 'button', class: 'bpw-action' }, [T.download]);
    ui.back = el('button', { type: 'button', class: 'bpw-action' }, [T.backToChat]);
    ui.summary = el('section', { class: 'bpw-summary', 'aria-labelledby': 'bpw-summary-title', hidden: true }, [
      ui.summaryTitle, el('p', { class: 'bpw-summary-hint', text: T.summaryHint }), ui.doc,
      el('div', { class: 'bpw-summary-actions' }, [ui.print, ui.download, ui.back])
    ]);

    ui.input = el('input', {
      id: 'bpw-input', class: 'bpw-input', type: 'text', autocomplete: 'off', maxlength: '1000',
      placeholder: T.placeholder, enterkeyhint: 'send'
    });
    ui.send = el('button', { type: 'submit', class: 'bpw-send' }, [T.send]);
    ui.form = el('form', { class: 'bpw-form', novalidate: true }, [
      el('label', { for: 'bpw-input', class: 'bpw-sr', text: T.inputLabel }), ui.input, ui.send
    ]);

    ui.panel = el('div', {
      // Modal: while it is open, Tab stays inside it (the keydown handler), so a virtual cursor should too.
      id: 'bpw-panel', class: 'bpw-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'bpw-title',
      'aria-describedby': 'bpw-note', hidden: true
    }, [header, ui.note, ui.pinned, ui.log, ui.more, ui.summary, ui.status, ui.form]);

    placeMoreBelow();
    ui.root = el('div', { class: 'bpw-root' }, [ui.launcher, ui.panel]);
    root.appendChild(css);
    root.appendChild(ui.root);
    ui.host = host;

    ui.launcher.addEventListener('click', function () { toggle(); });
    ui.close.addEventListener('click', function () { close(); });
    ui.restart.addEventListener('click', restart);
    ui.enlarge.addEventListener('click', function () { setLarge(!ui.root.classList.contains('bpw-is-large')); });
    ui.save.addEventListener('click', function () { showSummary(ui.save); });
    ui.pdf.addEventListener('click', downloadPdf);
    ui.print.addEventListener('click', function () { window.print(); });
    ui.download.addEventListener('click', downloadSummary);
    ui.back.addEventListener('click', function () { hideSummary(true); });
    ui.form.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      if (RESTART_WORDS.test(text)) { ui.input.value = ''; restart(); return; }
      ui.input.value = '';
      ui.input.setAttribute('placeholder', T.placeholder);
      sendMessage(text, text, false);
    });
    ui.root.addEventListener('keydown', onKeydown);

    setLarge(perTab.getItem(LARGE_KEY) === '1');
    renderHistory();
    document.body.appendChild(host);
  }

  function onKeydown(event) {
    if (event.key === 'Escape' && isOpen()) {
      event.preventDefault();
      // From the summary, Esc goes back to the chat (as "Back to the chat" does), not out.
      if (!ui.summary.hidden) hideSummary(true);
      else close();
      return;
    }
    // While it is open, Tab stays inside the panel (Esc closes it), in the order of tabOrder.
    if (event.key === 'Tab' && isOpen()) {
      var order = tabOrder();
      if (!order.length) return;
      var active = ui.host.shadowRoot ? ui.host.shadowRoot.activeElement : document.activeElement;
      var at = order.indexOf(active);
      var step = event.shiftKey ? -1 : 1;
      var next = at < 0 ? nextInPage(active, step) || order[step > 0 ? 0 : order.length - 1]
        : order[(at + step + order.length) % order.length];
      event.preventDefault();
      next.focus();
    }
  }

  /** The panel's controls that Tab can reach, in page order. */
  function focusables() {
    return Array.prototype.filter.call(
      ui.panel.querySelectorAll('button:not([disabled]), input, a[href], summary, [tabindex="0"]'),
      function (node) { return node.offsetParent !== null; }
    );
  }

  /** From a place Tab does not stop at (the summary's heading, the exercise plan): the next
   *  control in page order (the previous one with Shift), if inside the panel. */
  function nextInPage(active, step) {
    if (!active || !ui.panel.contains(active)) return null;
    var side = step > 0 ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
    var found = focusables().filter(function (node) { return node !== active && (active.compareDocumentPosition(node) & side); });
    return found.length ? found[step > 0 ? 0 : found.length - 1] : null;
  }

  /**
   * The panel's controls in Tab order: the header's, the pinned call link, the message field
   * and Send, then the buttons that answer the latest reply (quick replies, next steps or the
   * greeting's suggestions: one Tab after Send), then the conversation and the rest of it.
   * Drawn, the reply's buttons sit just above the message field.
   */
  function tabOrder() {
    var all = focusables();

    var last = ui.log.lastElementChild;
    var group = last && /(^| )bpw-(qr|next|greeting)( |$)/.test(last.className) ? last : null;
    var answers = all.filter(function (node) { return group && group.contains(node); });
    var field = all.filter(function (node) { return ui.form.contains(node); });
    var rest = all.filter(function (node) { return answers.indexOf(node) < 0 && field.indexOf(node) < 0; });
    var at = rest.indexOf(ui.log);
    if (at < 0) at = rest.length;
    return rest.slice(0, at).concat(field, answers, rest.slice(at));
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
    updateMore();
  }

  /**
   * On a short screen (200% zoom on a laptop) "More below" is an arrow in the message row: a row
   * of its own costs an eighth of the height, and laid over the log it covered the start of an
   * emergency instruction (usability review 9). Elsewhere it has its own row under the log.
   */
  function placeMoreBelow() {
    var short = window.matchMedia ? window.matchMedia('(max-height: 560px)') : null;
    function place() {
      if (short && short.matches) ui.form.insertBefore(ui.more, ui.input);
      else ui.panel.insertBefore(ui.more, ui.summary);
    }
    place();
    if (short && short.addEventListener) short.addEventListener('change', place);
    else if (short && short.addListener) short.addListener(place);
  }

  /** The "More below" button: shown while the end of the conversation is out of view. */
  function updateMore() {
    if (!ui.more) return;
    var hidden = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight;
    ui.more.hidden = hidden <= 24 || ui.panel.hidden;
  }

  /**
   * Shows the start of the latest reply (its first new bubble) rather than its end: an
   * emergency instruction comes first and must not scroll away under the messages after it.
   * When the whole reply fits, this is the end of the conversation.
   */
  function scrollToReply() {
    var start = ui.replyStart;
    if (!start || start.parentNode !== ui.log) { scrollToEnd(); return; }
    var padding = parseFloat(getComputedStyle(ui.log).paddingTop) || 0;
    // offsetTop (the log is the offsetParent): layout, not the entrance animation's transform.
    ui.log.scrollTop = Math.min(start.offsetTop - padding, ui.log.scrollHeight - ui.log.clientHeight);
    updateMore();
  }

  function alertHeading(kind, call) {
    if (kind === 'urgent') return T.alertUrgent;
    var template = kind === 'crisis' ? (call ? T.alertCrisis : T.alertCrisisNoNumber) : (call ? T.alertEmergency : T.alertEmergencyNoNumber);
    return template.replace('{number}', call ? call.number : '');
  }

  function callLink(call, extraClass) {
    return el('a', { class: 'bpw-call' + (extraClass ? ' ' + extraClass : ''), href: 'tel:' + dialled(call.number) },
      [svg(ICON_PHONE), T.call.replace('{number}', call.number)]);
  }

  /**
   * An emergency, urgent or crisis message as an alert card: a heading that says what to do
   * (in words, not only in colour), a warning icon with a text alternative, the tap-to-call
   * link, then the text. The messages of one reply with the same kind share one card.
   */
  function renderAlert(entry, live) {
    var call = checkedCall(entry.call); // a stored entry is checked again
    var card = ui.card && ui.card.kind === entry.kind ? ui.card : null;
    if (!card) {
      var node = el('div', {
        class: 'bpw-msg bpw-msg--bot bpw-msg--alert bpw-alert bpw-alert--' + entry.kind + (live ? ' bpw-msg--new' : '')
      });
      node.appendChild(el('span', { class: 'bpw-sr', text: ' ' + T.bot + ' ' }));
      var heading = el('h3', { class: 'bpw-alert-heading' }, [svg(ICON_WARNING, T.alertIcon), el('span', { text: alertHeading(entry.kind, call) })]);
      node.appendChild(heading);
      card = ui.card = { kind: entry.kind, node: node, heading: heading.lastChild, call: null };
      ui.log.appendChild(node);
    }
    if (call && !card.call) {
      card.call = el('div', { class: 'bpw-alert-call' }, [callLink(call)]);
      if (call.route) card.call.appendChild(el('p', { class: 'bpw-alert-route', text: call.route }));
      card.node.insertBefore(card.call, card.node.querySelector('.bpw-alert-part'));
      // Only when it changes: new text in the log is announced again.
      var words = alertHeading(entry.kind, call);
      if (card.heading.textContent !== words) card.heading.textContent = words;
    }
    var text = el('span', { class: 'bpw-text' });
    appendAlertText(text, entry.text, call);
    // A space between the parts, so that the card's text reads as sentences (not drawn).
    card.node.appendChild(el('p', { class: 'bpw-alert-part' }, card.node.querySelector('.bpw-alert-part') ? [' ', text] : [text]));
    return card.node;
  }

  // ---------------------------------------------------------------- results on a phone
  // No bubble over about 8 lines on a 390 px phone: a longer text is shown as several
  // bubbles, cut between lines, then sentences, then clauses, then words (nothing hidden).
  var BUBBLE_LINES = 8;
  var LINE_CHARS = 36; // a 16 px font in a bubble about 310 px wide (a wide font: DejaVu Sans)

  function estimatedLines(text) {
    return text.split('\n').reduce(function (sum, line) { return sum + Math.max(1, Math.ceil(line.length / LINE_CHARS)); }, 0);
  }

  function pieces(text, level) {
    if (level === 0) return text.split('\n');
    var pattern = level === 1 ? /[^.!?]+(?:[.!?]+["'\u201d)]*\s*|$)/g : level === 2 ? /[^;]+(?:;\s*|$)/g : /\S+\s*/g;
    return text.match(pattern) || [text];
  }

  /** The parts of a text to show as bubbles of at most BUBBLE_LINES (estimated) each. */
  function bubbleParts(text, level) {
    level = level || 0;
    if (estimatedLines(text) <= BUBBLE_LINES || level > 3) return [text];
    var joiner = level === 0 ? '\n' : '';
    var parts = [];
    var current = '';
    pieces(text, level).forEach(function (piece) {
      bubbleParts(piece, level + 1).forEach(function (chunk) {
        var joined = current ? current + joiner + chunk : chunk;
        if (current && estimatedLines(joined.trim()) > BUBBLE_LINES) {
          parts.push(current);
          current = chunk;
        } else {
          current = joined;
        }
      });
    });
    if (current) parts.push(current);
    // Trimmed only at the end: a sentence cut further keeps the space after it ("pain. I").
    return level ? parts : parts.map(function (part) { return part.trim(); }).filter(Boolean);
  }

  /** The possible causes of metadata.causes, checked: strings only, as the server sends them. */
  function cardsOf(message) {
    var raw = message && message.metadata && message.metadata.causes;
    if (!Array.isArray(raw)) return null;
    var texts = function (list) { return Array.isArray(list) ? list.filter(function (t) { return typeof t === 'string' && t; }).map(String) : []; };
    var cards = raw.filter(function (c) { return c && typeof c.name === 'string' && c.name; }).map(function (c) {
      var card = { name: c.name, why: texts(c.why), advice: texts(c.advice), helps: texts(c.helps) };
      if (typeof c.when === 'string' && c.when) card.when = c.when;
      return card;
    });
    return cards.length ? cards : null;
  }

  /** The summary's statements of metadata.told, checked: strings only. */
  function toldOf(message) {
    var raw = message && message.metadata && message.metadata.told;
    if (!Array.isArray(raw)) return null;
    var items = raw.filter(function (t) { return typeof t === 'string' && t; }).map(String);
    return items.length ? items : null;
  }

  /**
   * The "You told me" summary as one closed card of statements: on a phone, the long
   * sentence was cut between its clauses into several bubbles (usability review 7). The
   * full text stays in the log for the summary document and for text-only clients.
   */
  function renderTold(items, live) {
    var body = el('div', { class: 'bpw-card-body' }, [
      el('ul', {}, items.map(function (item) { return el('li', { text: item[0].toUpperCase() + item.slice(1) }); }))
    ]);
    var details = el('details', { class: 'bpw-card-more' }, [
      el('summary', { class: 'bpw-card-name' }, [el('span', { text: T.toldCard })]), body
    ]);
    var card = el('div', { class: 'bpw-card bpw-told' + (live ? ' bpw-msg--new' : '') }, [
      el('span', { class: 'bpw-sr', text: ' ' + T.bot + ' ' }), details
    ]);
    ui.log.appendChild(card);
    return card;
  }

  /**
   * The possible causes as cards: a short bubble, then one card per cause whose "why" and
   * advice open on request (a <details>: a button to keyboards and screen readers, with its
   * state). What to do about a serious cause is on the card itself, never folded away.
   */
  function renderCauses(causes, live) {
    var bubble = el('div', { class: 'bpw-msg bpw-msg--bot' + (live ? ' bpw-msg--new' : '') }, [
      el('span', { class: 'bpw-sr', text: ' ' + T.bot + ' ' }), el('span', { class: 'bpw-text', text: T.causesIntro })
    ]);
    ui.log.appendChild(bubble);
    var list = el('ul', { class: 'bpw-cards', 'aria-label': T.causesLabel });
    causes.forEach(function (card) {
      var body = el('div', { class: 'bpw-card-body' });
      if (card.why.length) {
        body.appendChild(el('p', { class: 'bpw-card-head', text: T.whyFits }));
        body.appendChild(el('ul', {}, card.why.map(function (why) { return el('li', { text: why }); })));
      }
      if (card.advice.length || card.helps.length) {
        body.appendChild(el('p', { class: 'bpw-card-head', text: T.whatHelps }));
        if (card.helps.length) body.appendChild(el('p', { text: card.helps.join(', ') + '.' }));
        card.advice.forEach(function (line) { body.appendChild(el('p', { text: line })); });
      }
      var details = el('details', { class: 'bpw-card-more' }, [
        el('summary', { class: 'bpw-card-name' }, [el('span', { text: card.name })]), body
      ]);
      var item = el('li', { class: 'bpw-card' + (card.when ? ' bpw-card--urgent' : '') }, [details]);
      if (card.when) item.insertBefore(el('p', { class: 'bpw-card-when', text: card.when }), details);
      list.appendChild(item);
    });
    ui.log.appendChild(list);
    return bubble;
  }

  // ---------------------------------------------------------------- next steps after a result
  // Buttons after the result's closing recommendation: save or print, the exercise plan (when
  // the result offers one, kind 'plan_offer': it asks for the plan, or goes to it once sent),
  // ask a question, start over. Sending the summary to the clinic is the hand-off offer's own
  // Yes / No (bot/offers.py), not repeated.
  var SUGGESTIONS = [
    { title: 'suggestCheck', payload: 'I have back pain' },
    { title: 'suggestAE', payload: 'should I go to A&E?' },
    { title: 'suggestAsk', payload: 'what can you do' }
  ];

  /** The latest exercise plan in the conversation (a node), or null. */
  function exercisePlan() {
    var plans = ui.log.querySelectorAll('.bpw-plan');
    return plans.length ? plans[plans.length - 1] : null;
  }

  // What the plan button asks when the plan is not in the chat yet (the server's words).
  var PLAN_REQUEST = 'show me my exercise plan';

  function showExercisePlan() {
    var plan = exercisePlan();
    if (!plan) {
      sendMessage(PLAN_REQUEST, T.exercisePlan, true);
      // As a chip does: the button may scroll away under the plan, and focus with it.
      ui.input.focus();
      return;
    }
    var folded = plan.querySelector('details');
    if (folded) folded.open = true;
    plan.setAttribute('tabindex', '-1');
    ui.log.scrollTop = Math.max(0, plan.offsetTop - (parseFloat(getComputedStyle(ui.log).paddingTop) || 0));
    plan.focus({ preventScroll: true });
  }

  function askQuestion() {
    ui.input.setAttribute('placeholder', T.askPlaceholder);
    ui.input.focus();
  }

  function nextStepButton(label, onClick, extraClass) {
    var button = el('button', { type: 'button', class: 'bpw-chip bpw-next-btn' + (extraClass ? ' ' + extraClass : '') }, [label]);
    button.addEventListener('click', onClick);
    return button;
  }

  /** A header button to save: an icon and its name (shown beside it where there is room). */
  function toolButton(icon, label, extraClass, short) {
    return el('button', { type: 'button', class: 'bpw-save ' + extraClass, title: label, 'aria-label': label }, [
      svg(icon), el('span', { class: 'bpw-tool-label', text: label }), shortLabel(short)
    ]);
  }

  /** A visible word beside an icon where the panel is short (the label itself is hidden there):
   * a word of the button's name, so speech input users can say what they see (WCAG 2.5.3). */
  function shortLabel(text) {
    return el('span', { class: 'bpw-tool-short', 'aria-hidden': 'true', text: text });
  }

  /** Where focus goes back to from the summary: the button that opened it, if still shown. */
  function saveButton() {
    var opener = ui.summaryOpener;
    return opener && opener.isConnected && opener.offsetParent !== null ? opener : ui.save;
  }

  /**
   * The next-step buttons after a result (only the latest result has them), beginning with
   * the same two ways to save as the header's, in the same order.
   */
  function renderNextSteps() {
    Array.prototype.forEach.call(ui.log.querySelectorAll('.bpw-next'), function (old) { old.remove(); });
    var save = nextStepButton(T.saveOrPrint, function () { showSummary(save); }, 'bpw-next-save');
    var group = el('div', { class: 'bpw-next', role: 'group', 'aria-label': T.nextSteps }, [
      save, nextStepButton(T.downloadPdf, downloadPdf, 'bpw-next-pdf')
    ]);
    if (exercisePlan() || ui.planOffered) group.appendChild(nextStepButton(T.exercisePlan, showExercisePlan, 'bpw-next-plan'));
    group.appendChild(nextStepButton(T.askQuestion, askQuestion, 'bpw-next-ask'));
    group.appendChild(nextStepButton(T.restart, restart, 'bpw-next-restart'));
    ui.log.appendChild(group);
    return group;
  }

  /** Whether a bot entry belongs to a result; the recommendation that closes it. */
  function trackResult(entry) {
    if (entry.from === 'user') { ui.replyResult = false; return null; }
    if (entry.kind === 'lead' || (entry.kind === 'causes' && !ui.replyResult)) { ui.replyResult = true; ui.planOffered = false; }
    if (entry.kind === 'plan_offer') ui.planOffered = true;
    if (entry.kind === 'consult' && ui.replyResult) { ui.replyResult = false; return renderNextSteps(); }
    return null;
  }

  /** The greeting of an empty conversation (first open, after Start over), with suggestions. */
  function buildGreeting() {
    var chips = el('div', { class: 'bpw-qr', role: 'group', 'aria-label': T.suggestions });
    SUGGESTIONS.forEach(function (suggestion) {
      var title = T[suggestion.title];
      var button = el('button', { type: 'button', class: 'bpw-chip' }, [title]);
      button.addEventListener('click', function () {
        sendMessage(suggestion.payload, title, true);
        ui.input.focus();
      });
      chips.appendChild(button);
    });
    return el('div', { class: 'bpw-intro bpw-greeting' }, [
      el('p', { class: 'bpw-greeting-text', text: T.greeting }), chips
    ]);
  }

  function renderMessage(entry, live) {
    var isUser = entry.from === 'user';
    if (isUser) {
      removeQuickReplies();
      ui.replyStart = null;
    }
    var first = null;
    if (!isUser && isAlert(entry.kind) && entry.text) {
      first = renderAlert(entry, live);
    } else if (!isUser && entry.kind === 'causes' && cardsOf({ metadata: { causes: entry.causes } })) {
      ui.card = null;
      first = renderCauses(cardsOf({ metadata: { causes: entry.causes } }), live); // a stored entry is checked again
    } else if (!isUser && entry.kind === 'told' && toldOf({ metadata: { told: entry.told } })) {
      ui.card = null;
      first = renderTold(toldOf({ metadata: { told: entry.told } }), live);
    } else if (!isUser && entry.kind === 'plan_offer' && !entry.quickReplies) {
      // The result's "Your exercise plan" button says it, after the closing recommendation:
      // one bubble fewer on a phone.
      ui.card = null;
    } else {
      ui.card = null;
      var escalation = !isUser && isEscalation(entry.kind);
      var kindClass = !isUser && (entry.kind === 'lead' || entry.kind === 'plan') ? ' bpw-msg--' + entry.kind : '';
      // The plan's later messages (its sources): the button goes to where the plan starts.
      var previous = history[history.indexOf(entry) - 1];
      var continuesPlan = entry.kind === 'plan' && previous && previous.from === 'bot' && previous.kind === 'plan';
      var parts = entry.text ? (isUser ? [entry.text] : bubbleParts(entry.text)) : [''];
      parts.forEach(function (part, index) {
        var bubble = el('div', {
          class: 'bpw-msg ' + (isUser ? 'bpw-msg--user' : 'bpw-msg--bot') + (escalation ? ' bpw-msg--alert' : '') + kindClass +
            (index === 0 && entry.kind === 'plan' && !continuesPlan ? ' bpw-plan' : '') + (live ? ' bpw-msg--new' : '')
        });
        if (index === 0) {
          // With a space before it too: the log's text reads "...like? You said: ...".
          bubble.appendChild(el('span', { class: 'bpw-sr', text: ' ' + (isUser ? T.you : T.bot) + ' ' }));
          // Said in words, not only in colour (WCAG 1.4.1).
          if (escalation) bubble.appendChild(el('strong', { class: 'bpw-msg-label', text: T.important + ' ' }));
        }
        if (part) {
          var text = el('span', { class: 'bpw-text' });
          if (isUser) text.textContent = part;
          else appendText(text, part);
          bubble.appendChild(text);
          // The bubbles of one text read as that text: a space where it was cut (not drawn).
          if (index < parts.length - 1) bubble.appendChild(document.createTextNode(' '));
        }
        if (entry.image && index === parts.length - 1) {
          var src = httpUrl(entry.image);
          if (src) bubble.appendChild(el('img', { class: 'bpw-image', src: src.href, alt: T.image }));
        }
        if (part || bubble.querySelector('img')) {
          ui.log.appendChild(bubble);
          first = first || bubble;
        }
      });
    }
    trackResult(entry);
    if (!isUser && entry.quickReplies && entry.quickReplies.length) {
      renderQuickReplies(entry.quickReplies);
      first = first || ui.quickReplies;
    }
    if (ui.intro.parentNode) ui.intro.remove();
    if (!isUser && !ui.replyStart) ui.replyStart = first;
    if (isUser) scrollToEnd();
    else scrollToReply();
  }

  /** The latest alert of the conversation, compact, above the log (or nothing). */
  function updatePinned() {
    var latest = null;
    history.forEach(function (entry) {
      if (entry.from === 'bot' && isAlert(entry.kind) && entry.text) {
        var call = checkedCall(entry.call);
        if (!latest || latest.kind !== entry.kind || latest.closed) latest = { kind: entry.kind, call: call, others: [] };
        else if (!latest.call && call) latest.call = call;
        // A crisis line said in the card ("Samaritans on 116 123") is pinned with it too.
        if (entry.kind === 'crisis') {
          spokenNumbers(entry.text, call).forEach(function (found) {
            if (!latest.others.some(function (o) { return o.dial === found.dial; })) latest.others.push(found);
          });
        }
      } else if (latest) {
        latest.closed = true; // a later alert of the same kind starts a new one
      }
    });
    var key = latest ? JSON.stringify([latest.kind, latest.call, latest.others.map(function (o) { return o.dial; })]) : '';
    if (ui.pinnedKey === key) return;
    ui.pinnedKey = key;
    while (ui.pinned.firstChild) ui.pinned.removeChild(ui.pinned.firstChild);
    ui.pinned.hidden = !latest;
    ui.root.classList.toggle('bpw-has-pinned', Boolean(latest));
    ui.pinned.className = 'bpw-pinned' + (latest ? ' bpw-pinned--' + latest.kind : '');
    if (!latest) return;
    ui.pinned.appendChild(el('p', { class: 'bpw-pinned-text' }, [svg(ICON_WARNING), el('strong', { text: alertHeading(latest.kind, latest.call) })]));
    if (latest.call) ui.pinned.appendChild(callLink(latest.call, 'bpw-call--compact'));
    latest.others.forEach(function (found) {
      var link = numberLink(found, 'bpw-call bpw-call--compact bpw-call--other');
      link.textContent = '';
      link.appendChild(svg(ICON_PHONE));
      link.appendChild(document.createTextNode((found.owner ? found.owner + ' ' : '') + found.number));
      ui.pinned.appendChild(link);
    });
  }

  function setLarge(on) {
    ui.root.classList.toggle('bpw-is-large', on);
    ui.enlarge.setAttribute('aria-pressed', on ? 'true' : 'false');
    ui.enlargeIcon.setAttribute('d', on ? ICON_SHRINK : ICON_ENLARGE);
    if (on) safeSet(perTab, LARGE_KEY, '1');
    else perTab.removeItem(LARGE_KEY);
    if (!ui.panel.hidden) scrollToReply();
  }

  function renderQuickReplies(replies) {
    removeQuickReplies();
    var group = el('div', { class: 'bpw-qr', role: 'group', 'aria-label': T.suggestions });
    replies.forEach(function (reply, index) {
      // Announced with the reply in the live log: "0-2, 3-4, 5-6", not "0-23-45-6".
      if (index) group.appendChild(el('span', { class: 'bpw-sr', text: ', ' }));
      var button = el('button', { type: 'button', class: 'bpw-chip' }, [reply.title]);
      button.addEventListener('click', function () {
        Array.prototype.forEach.call(group.querySelectorAll('button'), function (b) { b.disabled = true; });
        sendMessage(reply.payload, reply.title, true);
        ui.input.focus();
      });
      group.appendChild(button);
    });
    ui.quickReplies = group;
    ui.log.appendChild(group);
  }

  function removeQuickReplies() {
    if (ui.quickReplies) {
      ui.quickReplies.remove();
      ui.quickReplies = null;
    }
  }

  function renderHistory() {
    while (ui.log.firstChild) ui.log.removeChild(ui.log.firstChild);
    ui.quickReplies = null;
    ui.card = null;
    ui.replyStart = null;
    ui.replyResult = false;
    if (!history.length) ui.log.appendChild(ui.intro);
    history.forEach(function (entry) { renderMessage(entry, false); });
    updateTools();
    updatePinned();
  }

  function addMessage(entry) {
    entry.time = Date.now();
    history.push(entry);
    saveHistory();
    renderMessage(entry, true);
    updateTools();
    updatePinned();
  }

  // ---------------------------------------------------------------- status line
  var statusState = { typing: false, connection: 'idle', timedOut: false, notForgotten: false, pdfFailed: false };
  function updateStatus() {
    var text = '';
    var typing = false;
    if (statusState.connection === 'connecting') text = T.connecting;
    else if (statusState.connection === 'offline') text = T.offline;
    else if (statusState.typing) { text = T.typing; typing = true; }
    else if (statusState.timedOut) text = T.timeout;
    else if (statusState.notForgotten) text = T.notForgotten;
    else if (statusState.pdfFailed) text = T.pdfUnavailable;
    if (ui.status.textContent !== text) ui.status.textContent = text;
    ui.status.classList.toggle('bpw-status--typing', typing);
    ui.status.classList.toggle('bpw-status--empty', !text);
  }

  var replyTimer = null;
  function setTyping(on) {
    clearTimeout(replyTimer);
    statusState.typing = on;
    if (on) {
      statusState.timedOut = false;
      replyTimer = setTimeout(function () {
        statusState.typing = false;
        statusState.timedOut = true;
        updateStatus();
      }, REPLY_TIMEOUT_MS);
    }
    updateStatus();
  }

  // ---------------------------------------------------------------- connection
  var socket = null;
  var confirmed = false;
  var outbox = [];
  var forgetting = null; // the id of a deleted conversation this socket is asking the server to delete
  var forgetTimer = null;
  var FORGET_ANSWER_MS = 10000;
  var FORGET_RETRY_MS = 15000;
  var socketIoLoading = null;

  function loadSocketIo() {
    if (window.io) return Promise.resolve(window.io);
    if (!socketIoLoading) {
      socketIoLoading = new Promise(function (resolve, reject) {
        var tag = el('script', { src: baseUrl + 'vendor/socket.io.min.js', async: true });
        tag.onload = function () { window.io ? resolve(window.io) : reject(new Error('socket.io did not load')); };
        tag.onerror = function () {
          socketIoLoading = null;
          if (window.console) console.error('Back pain widget: could not load ' + tag.src + ' (run web/build.sh)');
          reject(new Error('could not load socket.io client'));
        };
        document.head.appendChild(tag);
      });
    }
    return socketIoLoading;
  }

  function connect() {
    if (socket) return;
    statusState.connection = 'connecting';
    updateStatus();
    loadSocketIo().then(function (io) {
      if (socket) return;
      socket = io(options.serverUrl, { path: options.socketPath, withCredentials: false });
      socket.on('connect', function () {
        confirmed = false;
        requestSession(true);
      });
      socket.on('session_confirm', function (payload) {
        var id = payload && typeof payload === 'object' ? payload.session_id : payload;
        if (forgetting) {
          // The server replaces an id it would not accept: then there is nothing to delete.
          if (id === forgetting) askToForget();
          else forgotten(true);
          return;
        }
        if (id && id !== sessionId) { // the server chose another id: follow it
          sessionId = String(id);
          safeSet(persistent, SESSION_KEY, sessionId);
          saveHistory();
        }
        confirmed = true;
        statusState.connection = 'online';
        updateStatus();
        flush();
      });
      socket.on('bot_uttered', function (message) {
        if (!forgetting) onBotMessage(message); // else: a late reply of the deleted conversation
      });
      socket.on('conversation_deleted', function (payload) {
        if (forgetting) forgotten(Boolean(payload && payload.deleted));
      });
      socket.on('disconnect', function () {
        clearTimeout(forgetTimer);
        forgetting = null;
        confirmed = false;
        statusState.connection = 'offline';
        updateStatus();
      });
      socket.on('connect_error', function () {
        statusState.connection = 'offline';
        updateStatus();
      });
    }, function () {
      statusState.connection = 'offline';
      updateStatus();
    });
  }

  /** Joins this conversation; first, if `settle`, asks the server to delete the pending ones. */
  function requestSession(settle) {
    clearTimeout(forgetTimer);
    var pending = settle ? pendingForget() : [];
    forgetting = pending.length ? pending[0] : null;
    socket.emit('session_request', { session_id: forgetting || sessionId || null });
  }

  function askToForget() {
    forgetTimer = setTimeout(function () { forgotten(false); }, FORGET_ANSWER_MS);
    socket.emit('delete_conversation', {});
  }

  function forgotten(deleted) {
    clearTimeout(forgetTimer);
    var id = forgetting;
    forgetting = null;
    if (deleted) setPendingForget(pendingForget().filter(function (other) { return other !== id; }));
    if (!deleted) statusState.notForgotten = true;
    else if (!pendingForget().length) statusState.notForgotten = false;
    updateStatus();
    // Deleted: on to the next pending one, if any. Not: back to the conversation, and a retry later.
    requestSession(deleted);
    if (!deleted) {
      forgetTimer = setTimeout(function () {
        if (socket && socket.connected && confirmed && !forgetting) { confirmed = false; requestSession(true); }
      }, FORGET_RETRY_MS);
    }
  }

  function flush() {
    while (confirmed && outbox.length) {
      socket.emit('user_uttered', { message: outbox.shift(), session_id: sessionId });
    }
  }

  /** Sends `payload` to the assistant and shows `label` as the person's message. */
  function sendMessage(payload, label, fromButton) {
    addMessage(fromButton ? { from: 'user', text: label, button: true } : { from: 'user', text: label });
    outbox.push(payload);
    setTyping(true);
    connect();
    flush();
  }

  function onBotMessage(message) {
    if (!message || typeof message !== 'object') return;
    var replies = message.quick_replies || message.buttons || [];
    var entry = { from: 'bot', text: typeof message.text === 'string' ? message.text : '' };
    var kind = kindOf(message);
    if (kind) entry.kind = kind;
    var call = isAlert(kind) ? callOf(message) : null;
    if (call) entry.call = call;
    var cards = kind === 'causes' ? cardsOf(message) : null;
    if (cards) entry.causes = cards;
    var told = kind === 'told' ? toldOf(message) : null;
    if (told) entry.told = told;
    var quick = replies
      .filter(function (r) { return r && (r.title || r.payload); })
      .map(function (r) { return { title: String(r.title || r.payload), payload: String(r.payload || r.title) }; });
    if (quick.length) entry.quickReplies = quick;
    var attachment = message.attachment;
    if (attachment && attachment.type === 'image' && attachment.payload && attachment.payload.src) {
      entry.image = String(attachment.payload.src);
    }
    if (!entry.text && !entry.quickReplies && !entry.image) return;
    // An answer has come (perhaps after a reconnection): "didn't answer" is no longer true.
    statusState.timedOut = false;
    setTyping(false);
    addMessage(entry);
  }

  // ---------------------------------------------------------------- the summary
  // Made in the browser from the conversation on screen (history); nothing is sent anywhere.

  function updateTools() {
    ui.tools.hidden = !history.some(function (entry) {
      var kind = entry.from === 'bot' ? entry.kind : '';
      return isEscalation(kind) || kind === 'told' || kind === 'causes';
    });
  }

  function summaryDate() {
    var last = 0;
    history.forEach(function (entry) { if (entry.time > last) last = entry.time; });
    return last ? new Date(last) : new Date();
  }

  function formatDate(date) {
    // The page's own locale (en-GB: 22 November 2025) when it is the widget's language.
    var pageLang = document.documentElement.lang || '';
    var locale = pageLang.toLowerCase().split('-')[0] === options.lang ? pageLang : options.lang;
    try {
      return date.toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric' });
    } catch (e) {
      return date.toDateString();
    }
  }

  /**
   * The summary's sections, in the order printed: any urgent or emergency instruction, the
   * title and date, what the person told the assistant, the possible causes and why, the
   * advice, the "not a diagnosis" note and the recommendation to see a professional.
   * For a result given twice, the latest one counts.
   */
  function summarySections() {
    var urgent = [];
    var latest = {};
    var advice = [];
    var leadFirst = false;
    var typed = [];
    history.forEach(function (entry) {
      if (!entry.text) return;
      if (entry.from === 'user') {
        // What they told, not what they asked ("what will they do there?").
        if (!entry.button && !/\?\s*$/.test(entry.text)) typed.push('\u201c' + entry.text + '\u201d');
        return;
      }
      var kind = entry.kind;
      if (isEscalation(kind)) {
        if (urgent.indexOf(entry.text) < 0) urgent.push(entry.text);
      } else if (kind === 'advice' || kind === 'plan') {
        // All the advice of the latest result: routine advice, what would change it,
        // self-care, the activity plan (several messages of kind advice).
        if (advice.indexOf(entry.text) < 0) advice.push(entry.text);
      } else if (kind) {
        // A new result (its lead, or its causes when it has no lead) starts its advice afresh.
        if (kind === 'lead' || (kind === 'causes' && !leadFirst)) advice = [];
        leadFirst = kind === 'lead';
        latest[kind] = entry.text;
      }
    });
    // Under its heading, the server's "You told me:" would say it twice.
    var told = latest.told ? latest.told.replace(/^\s*You told me:\s*/, '') : typed.join('; ');
    if (told) told = told.charAt(0).toUpperCase() + told.slice(1);
    var sections = [];
    if (urgent.length) sections.push({ kind: 'urgent', heading: T.urgentHeading, lines: urgent });
    sections.push({ kind: 'head', title: T.docTitle.replace('{title}', options.title), lines: [T.date + ' ' + formatDate(summaryDate())] });
    if (told) sections.push({ kind: 'told', heading: T.toldHeading, lines: [told] });
    if (latest.causes) sections.push({ kind: 'causes', heading: T.causesHeading, lines: [latest.causes] });
    if (advice.length) sections.push({ kind: 'advice', heading: T.adviceHeading, lines: advice });
    sections.push({ kind: 'note', lines: [T.notDiagnosis] });
    sections.push({ kind: 'consult', lines: [latest.consult || T.consultFallback] });
    return sections;
  }

  function summaryText() {
    return summarySections().map(function (section) {
      var head = section.title || (section.kind === 'urgent' ? section.heading.toUpperCase() : section.heading);
      return (head ? [head] : []).concat(section.lines).join('\n');
    }).join('\n\n') + '\n';
  }

  function renderSummary() {
    while (ui.doc.firstChild) ui.doc.removeChild(ui.doc.firstChild);
    summarySections().forEach(function (section) {
      var part = el('div', { class: 'bpw-doc-part bpw-doc-' + section.kind });
      if (section.title) part.appendChild(el('p', { class: 'bpw-doc-title', text: section.title }));
      if (section.heading) part.appendChild(el('h4', { text: section.heading }));
      section.lines.forEach(function (line) { part.appendChild(el('p', { text: line })); });
      ui.doc.appendChild(part);
    });
  }

  // While the summary is open, printing the page prints only the summary: the host page's
  // own content is hidden for print (a constructed sheet: no request, fine under a strict CSP).
  var printSheet = null;
  function pagePrintRule(on) {
    if (!('adoptedStyleSheets' in document)) return;
    if (!printSheet) {
      try {
        printSheet = new CSSStyleSheet();
        printSheet.replaceSync('@media print { body > :not(#bpw-host) { display: none !important; } } @page { margin: 16mm; }');
      } catch (e) {
        return;
      }
    }
    var sheets = Array.prototype.filter.call(document.adoptedStyleSheets, function (s) { return s !== printSheet; });
    if (on) sheets.push(printSheet);
    document.adoptedStyleSheets = sheets;
  }

  function showSummary(opener) {
    ui.summaryOpener = opener || null;
    renderSummary();
    ui.summary.hidden = false;
    ui.root.classList.add('bpw-is-summary');
    pagePrintRule(true);
    ui.summaryTitle.focus();
  }

  function hideSummary(focusSave) {
    if (ui.summary.hidden) return;
    ui.summary.hidden = true;
    ui.root.classList.remove('bpw-is-summary');
    pagePrintRule(false);
    if (focusSave) saveButton().focus();
  }

  function downloadSummary() {
    var date = summaryDate();
    var day = date.getFullYear() + '-' + ('0' + (date.getMonth() + 1)).slice(-2) + '-' + ('0' + date.getDate()).slice(-2);
    var url = URL.createObjectURL(new Blob([summaryText()], { type: 'text/plain;charset=utf-8' }));
    var link = el('a', { href: url, download: T.fileName + '-' + day + '.txt', hidden: true });
    ui.root.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function downloadPdf() {
    function failed(yes) { statusState.pdfFailed = yes; updateStatus(); }
    if (!socket || !socket.connected) { failed(true); return; }
    socket.timeout(20000).emit('summary_pdf', {}, function (error, data) {
      var bytes = !error && data && (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) ? data : null;
      failed(!bytes);
      if (!bytes) return;
      var date = new Date();
      var day = date.getFullYear() + '-' + ('0' + (date.getMonth() + 1)).slice(-2) + '-' + ('0' + date.getDate()).slice(-2);
      var url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      var link = el('a', { href: url, download: T.fileName + '-' + day + '.pdf', hidden: true });
      ui.root.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
  }

  // ---------------------------------------------------------------- open / close
  function isOpen() { return !ui.panel.hidden; }

  function open(opts) {
    opts = opts || {};
    ui.panel.hidden = false;
    ui.panel.classList.toggle('bpw-panel--animate', opts.focus !== false); // no animation when restored on load
    ui.root.classList.add('bpw-is-open');
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.launcherIcon.setAttribute('d', ICON_DOWN);
    ui.launcher.setAttribute('aria-label', T.closeChat + ': ' + options.title);
    safeSet(perTab, OPEN_KEY, '1');
    connect();
    scrollToReply();
    if (opts.focus !== false) ui.input.focus();
  }

  function close() {
    hideSummary(false);
    ui.panel.hidden = true;
    ui.root.classList.remove('bpw-is-open');
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.removeAttribute('aria-label');
    ui.launcherIcon.setAttribute('d', ICON_CHAT);
    perTab.removeItem(OPEN_KEY);
    ui.launcher.focus();
  }

  function toggle() { isOpen() ? close() : open(); }

  // "Start over" typed in the chat: the same as the button (it never reaches the server).
  var RESTART_WORDS = /^\s*(start (over|again)( from (the )?begin(ning)?)?( please)?|begin again|start from (the )?begin(ning)?|restart|new chat|reset( chat)?|clear( the)? chat)\s*[.!]*\s*$/i;

  /**
   * "Start over" asks first, in the panel (not the browser's own dialog, which looks like a
   * system warning and shows the site's address): "Keep this chat" has the focus, so a slip
   * of Enter loses nothing.
   */
  function restart() {
    if (ui.confirmBox) { ui.confirmNo.focus(); return; }
    var text = el('p', { id: 'bpw-confirm-text', class: 'bpw-confirm-text', text: T.restartConfirm });
    var yes = el('button', { type: 'button', class: 'bpw-action' }, [T.restartYes]);
    var no = el('button', { type: 'button', class: 'bpw-action bpw-action--main' }, [T.restartNo]);
    var box = el('div', { class: 'bpw-confirm', role: 'group', 'aria-labelledby': 'bpw-confirm-text' }, [
      text, el('div', { class: 'bpw-confirm-actions' }, [yes, no])
    ]);
    function done(confirmed) {
      box.remove();
      ui.confirmBox = ui.confirmNo = null;
      if (confirmed) startOver();
      else ui.input.focus();
    }
    yes.addEventListener('click', function () { done(true); });
    no.addEventListener('click', function () { done(false); });
    box.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); done(false); }
    });
    ui.confirmBox = box;
    ui.confirmNo = no;
    ui.panel.insertBefore(box, ui.form);
    no.focus();
  }

  function startOver() {
    persistent.removeItem(historyKey(sessionId));
    if (sessionId) setPendingForget(pendingForget().concat([sessionId]));
    sessionId = newSessionId();
    safeSet(persistent, SESSION_KEY, sessionId);
    history = [];
    outbox = [];
    hideSummary(false);
    setTyping(false);
    statusState.timedOut = false;
    renderHistory();
    // Connected: the server deletes the old conversation, then this socket joins the new one.
    // Otherwise that happens when the socket connects.
    if (socket && socket.connected) {
      if (!forgetting) { confirmed = false; requestSession(true); }
    } else {
      statusState.notForgotten = true; // shown once the connection is back, until it is done
      updateStatus();
    }
    ui.input.focus();
  }

  function start() {
    build();
    updateStatus();
    if (perTab.getItem(OPEN_KEY) === '1') open({ focus: false });
  }

  window.BackpainWidget = {
    open: function () { open(); },
    close: function () { if (isOpen()) close(); },
    toggle: function () { toggle(); },
    get sessionId() { return sessionId; },
    options: options
  };

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
