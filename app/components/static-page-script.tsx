// The one script of a page that Remix does not hydrate (a route's
// `handle.hydrate === false`: the report page on a document load, decision
// 017). React and Remix's ~120 KB of modules are not sent; this gives the
// reader what the page needs from JavaScript, nothing more:
// - a deferred opinion form (`OpinionForm deferred`, sent inside <noscript>,
//   which a browser running JavaScript keeps as text) becomes the real form
//   when its <details> opens, or at once if it is open already; it then posts
//   as a plain HTML form (303 to the receipt, or the 400 page with what was typed);
// - a second submit of a form already sending is dropped (a double click),
//   until the page is shown again (back/forward cache);
// - the print button: made inside an element marked `data-print-label` (the
//   label, from the catalog), as PrintButton renders it once mounted.
// Inline, so it costs no request before the first paint; the cached page's
// CSP names its hash (page-cache computes it from the HTML), a page rendered
// per request passes its nonce.
const STATIC_PAGE_SCRIPT = `(function(){
function reveal(d){var n=d.querySelector('noscript');if(!n)return;var t=document.createElement('template');t.innerHTML=n.textContent;n.replaceWith(t.content)}
document.querySelectorAll('details.opinion-form').forEach(function(d){if(d.open)reveal(d);d.addEventListener('toggle',function(){if(d.open)reveal(d)})});
document.addEventListener('submit',function(e){var f=e.target;if(f.hasAttribute('data-sending'))e.preventDefault();else f.setAttribute('data-sending','')});
addEventListener('pageshow',function(){document.querySelectorAll('form[data-sending]').forEach(function(f){f.removeAttribute('data-sending')})});
document.querySelectorAll('[data-print-label]').forEach(function(s){var b=document.createElement('button');b.type='button';b.className='button--secondary';b.textContent=s.getAttribute('data-print-label');b.addEventListener('click',function(){print()});s.appendChild(b)});
})()`;

export function StaticPageScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: STATIC_PAGE_SCRIPT }} />;
}
