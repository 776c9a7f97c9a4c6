// Fill the hidden latitude/longitude of a spot-check form from the phone's location, if allowed.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-geolocate]");
  if (!form) return;
  var status = form.querySelector("[data-geostatus]");
  if (!navigator.geolocation) { status.textContent = "此设备不支持定位,可不填位置。"; return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
    form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
    status.textContent = "已记录位置:" + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
  }, function () { status.textContent = "没有获取到位置,可不填位置。"; }, { timeout: 10000 });
});
