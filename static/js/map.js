// Maps of filming locations, drawn with Leaflet (static/vendor/leaflet) from the site's own data:
// /map/ loads its GeoJSON; a location's page has one place in data attributes. Without
// JavaScript, or when Leaflet or the tiles cannot load, the list beside the map says the same.
(function () {
  "use strict";

  function tiles(map, element) {
    L.tileLayer(element.dataset.mapTiles, {
      maxZoom: 19,
      attribution: element.dataset.mapAttribution,
    }).addTo(map);
  }

  function link(url, text) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  // Popups are built as elements, never as HTML strings: titles are user-written.
  function popup(properties) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__title";
    title.appendChild(link(properties.url, properties.title));
    box.appendChild(title);
    if (properties.scenes && properties.scenes.length) {
      var list = document.createElement("ul");
      properties.scenes.forEach(function (scene) {
        var item = document.createElement("li");
        item.appendChild(link(scene.url, scene.title));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  function allPlaces(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    tiles(map, element);
    fetch(element.dataset.mapGeojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("map data: " + response.status);
        return response.json();
      })
      .then(function (data) {
        var markers = [];
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], {
            title: feature.properties.title,
            alt: feature.properties.title,
          });
          marker.bindPopup(popup(feature.properties));
          marker.getElement && marker.on("add", function () {
            marker.getElement().dataset.location = feature.properties.slug;
          });
          marker.addTo(map);
          markers.push(marker);
        });
        if (markers.length) {
          map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 13 });
        } else {
          map.setView([34.05, -118.25], 10);
        }
      })
      .catch(function () {
        element.hidden = true;
      });
  }

  function onePlace(element) {
    var lat = parseFloat(element.dataset.lat);
    var lon = parseFloat(element.dataset.lon);
    var map = L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 14);
    tiles(map, element);
    L.marker([lat, lon], { title: element.dataset.title, alt: element.dataset.title }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-map-tiles]").forEach(function (element) {
      L.Icon.Default.imagePath = element.dataset.mapIcons;
      element.hidden = false;
      if (element.dataset.mapGeojson) allPlaces(element);
      else onePlace(element);
    });
  });
})();
