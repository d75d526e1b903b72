from django.urls import path

from .views import home

app_name = "participants"

urlpatterns = [
    path("", home.home, name="home"),
]
