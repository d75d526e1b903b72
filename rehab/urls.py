from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from rehab.admin import admin_site

urlpatterns = [
    path("", include("participants.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("measures/", include("measures.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("admin/", admin_site.urls),
]
