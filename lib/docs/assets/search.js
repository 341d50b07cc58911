// The index page's search: MiniSearch over the documents embedded in the page (datasets, columns,
// models), by name and description, prefix and fuzzy matching as you type.
(function () {
  'use strict';
  var documents = JSON.parse(document.getElementById('search-documents').textContent);
  var fields = JSON.parse(document.getElementById('search-fields').textContent);
  var index = new MiniSearch({
    fields: fields,
    storeFields: ['kind', 'name', 'parent', 'url'],
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { name: 3 } },
  });
  index.addAll(documents);
  var input = document.getElementById('search');
  var results = document.getElementById('search-results');
  function show() {
    results.replaceChildren();
    var query = input.value.trim();
    if (query === '') return;
    var hits = index.search(query).slice(0, 25);
    if (hits.length === 0) {
      var none = document.createElement('li');
      none.className = 'muted';
      none.textContent = 'Nothing matches "' + query + '".';
      results.append(none);
      return;
    }
    hits.forEach(function (hit) {
      var item = document.createElement('li');
      item.dataset.kind = hit.kind;
      item.dataset.parent = hit.parent;
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = hit.kind;
      var link = document.createElement('a');
      link.href = hit.url;
      link.textContent = hit.kind === 'column' ? hit.parent + '.' + hit.name : hit.parent;
      item.append(kind, link);
      results.append(item);
    });
  }
  input.addEventListener('input', show);
  show();
})();
