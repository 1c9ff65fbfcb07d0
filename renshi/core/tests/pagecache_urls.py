"""Views for test_pagecache: a shared page, a shared page with a form, a failing one."""

from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.urls import path

from renshi.core import pagecache

calls: list[str] = []
served: list[str] = []


@pagecache.shared_page(30, scope="test", on_serve=lambda request: served.append(request.path))
def page(request):
    calls.append(request.get_full_path())
    who = request.user.username if request.user.is_authenticated else "访客"
    return HttpResponse(f"<p>第{len(calls)}次渲染 {who}</p>")


@pagecache.shared_page(30, scope="test")
def form(request):
    calls.append(request.path)
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}>")


@pagecache.shared_page(30, scope="test")
def missing(request):
    calls.append(request.path)
    return HttpResponseNotFound("没有")


urlpatterns = [
    path("page/", page),
    path("form/", form),
    path("missing/", missing),
]
