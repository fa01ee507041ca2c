// docs.js - the documentation pages' language: shows the Turkish or the
// English half of each page (elements marked lang="tr" / lang="en") and
// offers a button that switches between them.
//
// The choice is the app's shared one, localStorage 'raportai.lang' ('tr' by
// default), so a language picked here holds in the app and the other way
// round. Without this script the pages show Turkish (docs.css hides English
// until the root element says otherwise).

const STORAGE_KEY = 'raportai.lang';
const LANGUAGES = ['tr', 'en'];
const DEFAULT_LANGUAGE = 'tr';

// What the switch offers, by the language it switches to.
const SWITCH = {
  en: { text: 'English', label: 'Switch to English' },
  tr: { text: 'Türkçe', label: 'Türkçe’ye geç' },
};

function storedLanguage() {
  let value = null;
  try {
    value = window.localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    value = null; // storage blocked: fall back to the default
  }
  return LANGUAGES.includes(value) ? value : DEFAULT_LANGUAGE;
}

function saveLanguage(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch (e) {
    // Storage blocked: the choice lasts for this page only.
  }
}

function otherLanguage(lang) {
  return lang === 'tr' ? 'en' : 'tr';
}

// Shows lang's half of the page and updates the title and the switch.
function applyLanguage(lang) {
  const root = document.documentElement;
  root.lang = lang;
  root.dataset.docsLang = lang;
  const title = lang === 'en' ? root.dataset.titleEn : root.dataset.titleTr;
  if (title) {
    document.title = title;
  }
  const button = document.getElementById('docs-lang-switch');
  if (button) {
    const target = otherLanguage(lang);
    button.lang = target;
    button.textContent = SWITCH[target].text;
    button.setAttribute('aria-label', SWITCH[target].label);
    button.dataset.target = target;
    button.hidden = false;
  }
}

function init() {
  applyLanguage(storedLanguage());
  const button = document.getElementById('docs-lang-switch');
  if (button) {
    button.addEventListener('click', () => {
      const target = button.dataset.target || otherLanguage(storedLanguage());
      saveLanguage(target);
      applyLanguage(target);
    });
  }
  // Another tab (or the app) changed the language.
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY || event.key === null) {
      applyLanguage(storedLanguage());
    }
  });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init);
} else {
  init();
}
