// The few words the embedded playground adds to the page's dictionary (../i18n/): its own
// chrome (placeholder, footer, reset, read-only badge) and the "Embed this" dialog.
const STRINGS = {
  en: {
    loading: 'Loading the playground…',
    idle: 'The playground starts when you scroll to it.',
    start: 'Start the playground',
    open: 'Open in the playground',
    reset: 'Reset',
    resetTitle: 'Put back the original Dockerfile and files',
    readonly: 'read-only',
    legacy: 'legacy builder',
    dockerfile: 'Dockerfile',
    views: 'Views',
    'embed.button': 'Embed this',
    'embed.title': 'Embed this playground',
    'embed.intro': 'Paste one of these into a web page. It shows the Dockerfile, files and options you have now.',
    'embed.component': 'Web component',
    'embed.componentHelp': 'Loads the playground inside your page. Several on one page share one engine.',
    'embed.iframe': 'Iframe',
    'embed.iframeHelp': 'A self-contained frame. Add origins=… to the URL to drive it with postMessage.',
    'embed.copy': 'Copy',
    'embed.copied': 'Copied',
    'embed.copyFailed': 'Could not copy: select the text and copy it yourself.',
    'embed.readonly': 'Read-only',
    'embed.close': 'Close',
  },
  'zh-CN': {
    loading: '正在加载演练场…',
    idle: '滚动到这里时演练场才会启动。',
    start: '启动演练场',
    open: '在演练场中打开',
    reset: '重置',
    resetTitle: '恢复原来的 Dockerfile 和文件',
    readonly: '只读',
    legacy: '旧版构建器',
    dockerfile: 'Dockerfile',
    views: '视图',
    'embed.button': '嵌入',
    'embed.title': '嵌入这个演练场',
    'embed.intro': '把下面任意一段粘贴到网页中。它包含你当前的 Dockerfile、文件和构建选项。',
    'embed.component': 'Web 组件',
    'embed.componentHelp': '在你的页面里直接加载演练场。同一页面上的多个演练场共用一个引擎。',
    'embed.iframe': 'iframe',
    'embed.iframeHelp': '独立的框架。若要用 postMessage 控制它，请在 URL 中加上 origins=…。',
    'embed.copy': '复制',
    'embed.copied': '已复制',
    'embed.copyFailed': '无法复制：请选中文本后手动复制。',
    'embed.readonly': '只读',
    'embed.close': '关闭',
  },
};

export function words(lang) {
  return STRINGS[lang] ?? STRINGS.en;
}

/** One of the supported languages for a `lang` attribute or a browser language tag. */
export function pickLang(value) {
  const tag = String(value ?? '').toLowerCase();
  if (tag.startsWith('zh')) return 'zh-CN';
  return 'en';
}
